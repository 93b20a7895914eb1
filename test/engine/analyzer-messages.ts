import type * as AnalyzerModule from '@pulumi/pulumi/proto/analyzer_pb.js';
import type { Protocol } from './protocol.js';
import type { EngineResource, PolicyConfig, ResourceOptions, StackRef } from './types.js';
import { toWireProperties, urn } from './wire-values.js';

type Analyzer = typeof AnalyzerModule;

/** The URN of a resource in a stack: the given one, or one built from its type, name and parent type. */
export function resourceUrn(stack: StackRef, resource: EngineResource): string {
  return (
    resource.urn ??
    urn(stack.stack, stack.project, resource.type, resource.name, resource.parentType)
  );
}

/** `AnalyzerStackConfigureRequest` for the stack the engine runs. */
export function stackConfigureRequest(
  protocol: Protocol,
  stack: StackRef,
  dryRun: boolean,
  config: Record<string, string>,
  tags: Record<string, string>,
): AnalyzerModule.AnalyzerStackConfigureRequest {
  const request = new protocol.analyzer.AnalyzerStackConfigureRequest()
    .setStack(stack.stack)
    .setProject(stack.project)
    .setOrganization(stack.org)
    .setDryRun(dryRun);
  for (const [key, value] of Object.entries(config)) request.getConfigMap().set(key, value);
  for (const [key, value] of Object.entries(tags)) request.getTagsMap().set(key, value);
  return request;
}

/** `AnalyzeRequest` with the resource's inputs, and always with options set. */
export function analyzeRequest(
  protocol: Protocol,
  stack: StackRef,
  resource: EngineResource,
): AnalyzerModule.AnalyzeRequest {
  const request = new protocol.analyzer.AnalyzeRequest()
    .setUrn(resourceUrn(stack, resource))
    .setType(resource.type)
    .setName(resource.name)
    .setProperties(protocol.Struct.fromJavaScript(toWireProperties(resource.properties ?? {})))
    .setOptions(resourceOptions(protocol.analyzer, resource.options ?? {}));
  if (resource.provider) request.setProvider(providerResource(protocol, resource.provider));
  return request;
}

/** `AnalyzerResource` for `AnalyzeStack`, with the resource's outputs (its inputs unless given). */
export function analyzerResource(
  protocol: Protocol,
  stack: StackRef,
  resource: EngineResource,
): AnalyzerModule.AnalyzerResource {
  const message = new protocol.analyzer.AnalyzerResource()
    .setUrn(resourceUrn(stack, resource))
    .setType(resource.type)
    .setName(resource.name)
    .setProperties(
      protocol.Struct.fromJavaScript(
        toWireProperties(resource.outputs ?? resource.properties ?? {}),
      ),
    )
    .setOptions(resourceOptions(protocol.analyzer, resource.options ?? {}))
    .setDependenciesList(resource.dependencies ?? []);
  if (resource.parent) message.setParent(resource.parent);
  if (resource.provider) message.setProvider(providerResource(protocol, resource.provider));
  return message;
}

/** `ConfigureAnalyzerRequest` from a config already reconciled with the pack's defaults. */
export function configureRequest(
  protocol: Protocol,
  config: PolicyConfig,
): AnalyzerModule.ConfigureAnalyzerRequest {
  const request = new protocol.analyzer.ConfigureAnalyzerRequest();
  for (const [policyName, entry] of Object.entries(config)) {
    const policyConfig = new protocol.analyzer.PolicyConfig()
      .setEnforcementlevel(levelNumber(protocol.analyzer, entry.enforcementLevel ?? 'advisory'))
      .setProperties(protocol.Struct.fromJavaScript(toWireProperties(entry.properties ?? {})));
    request.getPolicyconfigMap().set(policyName, policyConfig);
  }
  return request;
}

function resourceOptions(
  analyzer: Analyzer,
  options: ResourceOptions,
): AnalyzerModule.AnalyzerResourceOptions {
  const message = new analyzer.AnalyzerResourceOptions()
    .setProtect(options.protect ?? false)
    .setIgnorechangesList(options.ignoreChanges ?? [])
    .setAliasesList(options.aliases ?? [])
    .setAdditionalsecretoutputsList(options.additionalSecretOutputs ?? []);
  if (options.deleteBeforeReplace !== undefined) {
    message.setDeletebeforereplacedefined(true).setDeletebeforereplace(options.deleteBeforeReplace);
  }
  if (options.parent) message.setParent(options.parent);
  if (options.customTimeouts) {
    const { create = 0, update = 0, delete: del = 0 } = options.customTimeouts;
    message.setCustomtimeouts(
      new analyzer.AnalyzerResourceOptions.CustomTimeouts()
        .setCreate(create)
        .setUpdate(update)
        .setDelete(del),
    );
  }
  return message;
}

function providerResource(
  protocol: Protocol,
  provider: NonNullable<EngineResource['provider']>,
): AnalyzerModule.AnalyzerProviderResource {
  return new protocol.analyzer.AnalyzerProviderResource()
    .setType(provider.type)
    .setName(provider.name)
    .setUrn(provider.urn)
    .setProperties(protocol.Struct.fromJavaScript(toWireProperties(provider.properties ?? {})));
}

function levelNumber(analyzer: Analyzer, level: string): AnalyzerModule.EnforcementLevel {
  const levels: Record<string, AnalyzerModule.EnforcementLevel> = {
    advisory: analyzer.EnforcementLevel.ADVISORY,
    mandatory: analyzer.EnforcementLevel.MANDATORY,
    disabled: analyzer.EnforcementLevel.DISABLED,
    remediate: analyzer.EnforcementLevel.REMEDIATE,
  };
  const value = levels[level];
  if (value === undefined) throw new Error(`unknown enforcement level "${level}"`);
  return value;
}

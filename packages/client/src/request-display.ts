import { z } from 'zod';

/**
 * What a request carries for people only, beside its material: never fingerprinted, so the
 * service keeps it as sent and the console says whose words it is.
 */
export const requestDisplayLimits = {
  /** Property names a request may carry. */
  propertyNames: 500,
  /** Characters of one material path or one property name. */
  nameChars: 400,
  /** Characters of the JSON of one preview state. */
  stateChars: 32 * 1024,
} as const;

const name = z.string().min(1).max(requestDisplayLimits.nameChars);

/**
 * The program's own name of each material row, keyed by the row's path in the material:
 * `{"openIngress[0].cidr": "ingress[0].cidrBlocks[0]"}`.
 */
export const propertyNamesSchema = z
  .record(name, name)
  .refine(
    (names) => Object.keys(names).length <= requestDisplayLimits.propertyNames,
    `expected at most ${requestDisplayLimits.propertyNames} property names`,
  );
export type PropertyNames = z.infer<typeof propertyNamesSchema>;

const previewState = z
  .record(z.string(), z.unknown())
  .refine(
    (state) => JSON.stringify(state).length <= requestDisplayLimits.stateChars,
    `expected a state of at most ${requestDisplayLimits.stateChars} characters of JSON`,
  );

/**
 * A resource's inputs before and after a delete or replacement, as `pulumi preview --json`
 * shows them (secrets read "[secret]"): sent by `clearance gate-preview`.
 */
export const previewStatesSchema = z
  .object({ before: previewState.exactOptional(), after: previewState.exactOptional() })
  .strict();
export type PreviewStates = z.infer<typeof previewStatesSchema>;

/** The same fields in answers: parsed leniently, like every answer. */
export const requestDisplayViewFields = {
  propertyNames: z.record(z.string(), z.string()).exactOptional(),
  previewStates: z
    .object({
      before: z.record(z.string(), z.unknown()).exactOptional(),
      after: z.record(z.string(), z.unknown()).exactOptional(),
    })
    .exactOptional(),
};

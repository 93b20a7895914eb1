import { createRequire } from 'node:module';
import path from 'node:path';
import type * as GrpcModule from '@grpc/grpc-js';
import type * as AnalyzerGrpcModule from '@pulumi/pulumi/proto/analyzer_grpc_pb.js';
import type * as AnalyzerModule from '@pulumi/pulumi/proto/analyzer_pb.js';
import type * as EmptyModule from 'google-protobuf/google/protobuf/empty_pb.js';
import type * as StructModule from 'google-protobuf/google/protobuf/struct_pb.js';

/** The generated analyzer protocol modules, loaded from the pack's own `@pulumi/pulumi`. */
export interface Protocol {
  analyzer: typeof AnalyzerModule;
  AnalyzerClient: typeof AnalyzerGrpcModule.AnalyzerClient;
  Struct: typeof StructModule.Struct;
  Empty: typeof EmptyModule.Empty;
  grpc: typeof GrpcModule;
  runPolicyPackPath: string;
}

/**
 * Loads the protocol through the pack's `node_modules`, so that messages are instances of the
 * same classes that the generated client checks with `instanceof`.
 */
export function loadProtocol(packDir: string): Protocol {
  const fromPack = createRequire(path.join(path.resolve(packDir), 'package.json'));
  const runPolicyPackPath = fromPack.resolve('@pulumi/pulumi/cmd/run-policy-pack');
  const protoDir = path.join(
    path.dirname(fromPack.resolve('@pulumi/pulumi/package.json')),
    'proto',
  );
  const fromProto = createRequire(path.join(protoDir, 'analyzer_grpc_pb.js'));
  const grpcPb = fromProto('./analyzer_grpc_pb.js') as typeof AnalyzerGrpcModule;
  return {
    analyzer: fromProto('./analyzer_pb.js') as typeof AnalyzerModule,
    AnalyzerClient: grpcPb.AnalyzerClient,
    Struct: (fromProto('google-protobuf/google/protobuf/struct_pb.js') as typeof StructModule)
      .Struct,
    Empty: (fromProto('google-protobuf/google/protobuf/empty_pb.js') as typeof EmptyModule).Empty,
    grpc: fromProto('@grpc/grpc-js') as typeof GrpcModule,
    runPolicyPackPath,
  };
}

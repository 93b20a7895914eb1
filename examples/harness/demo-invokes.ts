/**
 * What the AWS provider functions the examples call answer under the harness, where there is
 * no AWS account: plausible values derived from the arguments.
 */
export const demoInvokes: Record<
  string,
  (inputs: Record<string, unknown>) => Record<string, unknown>
> = {
  'aws:iam/getUser:getUser': (inputs) => ({
    userName: inputs.userName,
    userId: 'AIDADEMO0000000000000',
    arn: `arn:aws:iam::123456789012:user/${String(inputs.userName)}`,
    path: '/',
  }),
  'aws:ec2/getSubnets:getSubnets': (inputs) => {
    const filters = (inputs.filters ?? []) as { name: string; values: string[] }[];
    const vpc = filters.find((f) => f.name === 'vpc-id')?.values[0] ?? 'vpc-demo';
    return { id: vpc, ids: [`subnet-${vpc.slice(-6)}a`, `subnet-${vpc.slice(-6)}b`], filters };
  },
};

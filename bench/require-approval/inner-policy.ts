import type { ResourceValidationPolicy } from '@pulumi/policy';

/** The bare inner policy of the benchmark: a bucket tagged `exposure: public` is a violation. */
export const publicBuckets: ResourceValidationPolicy = {
  name: 'no-public-buckets',
  description: 'Buckets are not public.',
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    const tags = (args.props as { tags?: Record<string, unknown> }).tags;
    if (args.type === 'aws:s3/bucket:Bucket' && tags?.exposure === 'public') {
      reportViolation('The bucket is public.');
    }
  },
};

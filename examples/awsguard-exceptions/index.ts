import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

const config = new pulumi.Config();

/**
 * An uploads bucket without access logging: AwsGuard's s3-bucket-logging-enabled forbids it.
 * The team asks for an exception instead of weakening the policy for everyone.
 */
const uploads = new aws.s3.Bucket('uploads', {
  tags: { team: config.get('team') ?? 'web', purpose: 'uploads' },
});

export const bucketName = uploads.bucket;

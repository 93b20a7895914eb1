import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { whileApproved } from '@clearance/temporary';

const config = new pulumi.Config();
const oncallUser = config.require('oncallUser');

/** The on-call engineer must exist; looking the user up fails the run early if not. */
const engineer = aws.iam.getUserOutput({ userName: oncallUser });

/**
 * Break-glass access: AdministratorAccess attached to the on-call engineer. The policy pack
 * treats it as sensitive (administrator grant); the service wants two managers, for at most an
 * hour. The attachment is declared only while that approval is active, so the next update after
 * expiry (a scheduled pipeline) detaches it.
 */
const breakglass = await whileApproved(
  {
    name: 'breakglass-admin',
    type: 'aws:iam/userPolicyAttachment:UserPolicyAttachment',
    policies: ['aws-iam-admin-grant'],
  },
  (name) =>
    new aws.iam.UserPolicyAttachment(name, {
      user: engineer.userName,
      policyArn: aws.iam.ManagedPolicy.AdministratorAccess,
    }),
);

export const engineerArn = engineer.arn;
export const breakglassStatus = breakglass.status;
export const breakglassExpiresAt = breakglass.expiresAt;

import { Field, ID, InputType } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';

@InputType({ description: 'An application to install on a device.' })
export class InstallApplicationInput {
  @Field(() => ID, { description: 'The device; it must be RUNNING.' })
  @IsUUID('all', { message: 'deviceId must be a valid ID' })
  deviceId: string;

  @Field(() => ID, { description: 'The application; it must be AVAILABLE.' })
  @IsUUID('all', { message: 'applicationId must be a valid ID' })
  applicationId: string;
}

@InputType({ description: 'An installed application to remove from a device.' })
export class UninstallApplicationInput {
  @Field(() => ID, { description: 'The device.' })
  @IsUUID('all', { message: 'deviceId must be a valid ID' })
  deviceId: string;

  @Field(() => ID, { description: 'The installed application.' })
  @IsUUID('all', { message: 'applicationId must be a valid ID' })
  applicationId: string;
}

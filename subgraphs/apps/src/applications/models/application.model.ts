import { Connection } from '@cloudphone/subgraph-kit';
import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsOptional, Length } from 'class-validator';

export enum ApplicationStatus {
  PENDING_REVIEW = 'PENDING_REVIEW',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  AVAILABLE = 'AVAILABLE',
  UNAVAILABLE = 'UNAVAILABLE',
  DELETED = 'DELETED',
}
registerEnumType(ApplicationStatus, {
  name: 'ApplicationStatus',
  description: 'Where an application is in review and whether devices may install it.',
  valuesMap: {
    PENDING_REVIEW: { description: 'Submitted, waiting for a review.' },
    APPROVED: { description: 'Passed review; not yet offered for install.' },
    REJECTED: { description: 'Failed review.' },
    AVAILABLE: { description: 'Offered in the marketplace; devices may install it.' },
    UNAVAILABLE: { description: 'Withdrawn from the marketplace for now.' },
    DELETED: { description: 'Removed for good.' },
  },
});

@ObjectType({ description: 'One version of an Android application in the marketplace.' })
@Directive('@key(fields: "id")')
export class Application {
  @Field(() => ID, { description: 'Unique application id (one per package version).' })
  id: string;

  @Field({ description: 'Android package name, e.g. "com.example.app".' })
  packageName: string;

  @Field({ description: 'Name shown in the marketplace.' })
  name: string;

  @Field({ description: 'Version shown to people, e.g. "1.4.2".' })
  versionName: string;

  @Field(() => Int, { description: 'Android version code; unique per package.' })
  versionCode: number;

  @Field(() => Float, { description: 'Size of the package in bytes (an exact integer; Int is only 32-bit).' })
  sizeBytes: number;

  @Field({ description: 'Marketplace category, e.g. "games".' })
  category: string;

  @Field(() => String, { nullable: true, description: 'URL of the icon, when there is one.' })
  iconUrl: string | null;

  @Field(() => ApplicationStatus, { description: 'Review and availability state.' })
  status: ApplicationStatus;

  @Field({ description: 'When the application was submitted.' })
  createdAt: Date;
}

@ObjectType({ description: 'A page of applications.' })
export class ApplicationConnection extends Connection(Application, 'Application') {}

@InputType({ description: 'Narrows a list of applications.' })
export class ApplicationFilter {
  @Field(() => ApplicationStatus, { nullable: true, description: 'Only applications in this state.' })
  @IsOptional()
  @IsEnum(ApplicationStatus)
  status?: ApplicationStatus | null;

  @Field(() => String, { nullable: true, description: 'Only applications of this category.' })
  @IsOptional()
  @Length(1, 50)
  category?: string | null;
}

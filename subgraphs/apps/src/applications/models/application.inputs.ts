import { Field, Float, InputType, Int } from '@nestjs/graphql';
import { IsBoolean, IsInt, IsOptional, IsUrl, Length, Matches, Max, MaxLength, Min } from 'class-validator';

const PACKAGE_NAME = /^[a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z][a-zA-Z0-9_]*)+$/;
const PACKAGE_NAME_RULE = 'packageName must be two or more dot-separated parts of letters, digits and "_", each starting with a letter';
const NOT_BLANK = /\S/;

@InputType({ description: 'A new application version, submitted for review.' })
export class CreateApplicationInput {
  @Field({ description: 'Android package name, e.g. "com.example.app".' })
  @MaxLength(255)
  @Matches(PACKAGE_NAME, { message: PACKAGE_NAME_RULE })
  packageName: string;

  @Field({ description: 'Name shown in the marketplace, 1 to 100 characters.' })
  @Length(1, 100)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name: string;

  @Field({ description: 'Version shown to people, 1 to 50 characters.' })
  @Length(1, 50)
  @Matches(NOT_BLANK, { message: 'versionName must not be blank' })
  versionName: string;

  @Field(() => Int, { description: 'Android version code, 1 or more; unique per package.' })
  @IsInt()
  @Min(1)
  versionCode: number;

  @Field(() => Float, { description: 'Size of the package in bytes, a whole number of 0 or more.' })
  @IsInt({ message: 'sizeBytes must be a whole number of bytes' })
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  sizeBytes: number;

  @Field({ description: 'Marketplace category, 1 to 50 characters.' })
  @Length(1, 50)
  @Matches(NOT_BLANK, { message: 'category must not be blank' })
  category: string;

  @Field(() => String, { nullable: true, description: 'http(s) URL of the icon.' })
  @IsOptional()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'iconUrl must be an http(s) URL' })
  iconUrl?: string | null;
}

@InputType({ description: 'The outcome of reviewing an application.' })
export class ReviewApplicationInput {
  @Field({ description: 'True to approve, false to reject.' })
  @IsBoolean()
  approve: boolean;

  @Field(() => String, { nullable: true, description: 'Why; required when rejecting, up to 500 characters.' })
  @IsOptional()
  @Length(1, 500)
  reason?: string | null;
}

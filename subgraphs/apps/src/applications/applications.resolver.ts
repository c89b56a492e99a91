import { type RequestContext, ConnectionArgs, isId, parseId } from '@cloudphone/subgraph-kit';
import { Args, Context, ID, Mutation, Parent, Query, ResolveReference, Resolver } from '@nestjs/graphql';
import { ApplicationsService } from './applications.service.js';
import { CreateApplicationInput, ReviewApplicationInput } from './models/application.inputs.js';
import { Application, ApplicationConnection, ApplicationFilter } from './models/application.model.js';

@Resolver(() => Application)
export class ApplicationsResolver {
  constructor(private readonly applicationService: ApplicationsService) {}

  @Query(() => ApplicationConnection, { description: 'Applications of the marketplace, oldest first.' })
  applications(
    @Args() args: ConnectionArgs,
    @Context() context: RequestContext,
    @Args('filter', { type: () => ApplicationFilter, nullable: true, description: 'Only applications that match.' }) filter?: ApplicationFilter | null,
  ) {
    return this.applicationService.list(context, args, filter);
  }

  @Query(() => Application, { nullable: true, description: 'One application by id; null when there is none.' })
  application(@Args('id', { type: () => ID, description: 'Id of the application.' }) id: string, @Context() context: RequestContext) {
    return this.applicationService.byId(context, parseId(id));
  }

  @Mutation(() => Application, { description: 'Submits an application version for review (PENDING_REVIEW).' })
  createApplication(@Args('input', { description: 'The application version.' }) input: CreateApplicationInput, @Context() context: RequestContext) {
    return this.applicationService.create(context, input);
  }

  @Mutation(() => Application, { description: 'Approves or rejects an application in PENDING_REVIEW.' })
  reviewApplication(
    @Args('id', { type: () => ID, description: 'Id of the application.' }) id: string,
    @Args('input', { description: 'The decision.' }) input: ReviewApplicationInput,
    @Context() context: RequestContext,
  ) {
    return this.applicationService.review(context, parseId(id), input);
  }

  @Mutation(() => Application, { description: 'Offers an approved application in the marketplace, or withdraws an offered one.' })
  setApplicationAvailability(
    @Args('id', { type: () => ID, description: 'Id of the application.' }) id: string,
    @Args('available', { description: 'True to offer it (AVAILABLE), false to withdraw it (UNAVAILABLE).' }) available: boolean,
    @Context() context: RequestContext,
  ) {
    return this.applicationService.setAvailability(context, parseId(id), available);
  }

  @ResolveReference()
  resolveReference(@Parent() reference: { id: unknown }, @Context() context: RequestContext) {
    return isId(reference.id) ? this.applicationService.byId(context, reference.id.toLowerCase()) : null;
  }
}

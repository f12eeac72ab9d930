import { loader, Permission, type SubgraphContext, tenantOf } from '@tandem/platform';
import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ScoreRepository } from '../data/score.repository.js';
import { toScoring } from './scoring.mapper.js';
import { Application, Scoring } from './scoring.types.js';

export const scoreLoader = (ctx: SubgraphContext) => loader(ctx, 'scoreByApplication', () => new ScoreRepository(ctx.em).loaderByApplication(tenantOf(ctx)));

@Resolver(() => Application)
export class ApplicationScoringResolver {
  @Authorized(Permission.ApplicationView)
  @FieldResolver(() => Scoring, { nullable: true, description: 'The credit score and routing; null until scored. Requires application:view.' })
  async scoring(@Root() application: Application, @Ctx() ctx: SubgraphContext): Promise<Scoring | null> {
    const record = await scoreLoader(ctx).load(application.id);
    return record ? toScoring(record) : null;
  }
}

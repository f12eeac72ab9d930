import { Permission, type SubgraphContext, servicesOf, tenantOf } from '@tandem/platform';
import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { replayScore, scoreReference } from '../data/score-replay.js';
import type { ScoringServices } from '../server.js';
import { ScoreReplay } from './score-replay.types.js';
import { toScoreReplay } from './scoring.mapper.js';

@Resolver()
export class ScoreReplayResolver {
  // audit:view: replay verifies stored evidence (as verifyAuditTrail does) and shows the full feature vector.
  @Authorized(Permission.AuditView)
  @Query(() => ScoreReplay, {
    description:
      'Re-runs a stored score (by scoreId or applicationId, exactly one) through the model version that produced it, ' +
      'and its shadow scores through theirs, and compares PD and explanation with what was stored. Requires audit:view.',
  })
  async replayScore(
    @Ctx() ctx: SubgraphContext,
    @Arg('scoreId', () => ID, { nullable: true }) scoreId?: string | null,
    @Arg('applicationId', () => ID, { nullable: true }) applicationId?: string | null,
  ): Promise<ScoreReplay> {
    const ref = scoreReference(scoreId, applicationId);
    return toScoreReplay(await replayScore(ctx.em, servicesOf<ScoringServices>(ctx).registry, tenantOf(ctx), ref));
  }
}

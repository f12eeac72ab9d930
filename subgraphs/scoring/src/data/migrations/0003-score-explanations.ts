import { Migration } from '@mikro-orm/migrations';

/**
 * The full explanation with each score, champion and shadow, so a score can be
 * replayed and compared: the SHAP base value (expected logit), one
 * contribution per model input (card order, as feature_vector), and the
 * sha256 of the ONNX file that scored it. Nullable: rows scored before this
 * migration have none, and replay says so instead of inventing them.
 */
export class ScoreExplanations extends Migration {
  override up(): void {
    for (const table of ['scores', 'shadow_scores']) {
      this.addSql(`ALTER TABLE ${table}
        ADD COLUMN base_value double precision,
        ADD COLUMN contributions jsonb CHECK (contributions IS NULL OR jsonb_typeof(contributions) = 'array'),
        ADD COLUMN model_sha256 text`);
    }
  }
}

export const scoreExplanationMigrations = [{ name: '0003_score_explanations', class: ScoreExplanations }];

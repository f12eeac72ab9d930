/**
 * A tree ensemble as plain data: what the ONNX TreeEnsembleRegressor holds
 * (read by data/onnx-trees.ts), plus each node's cover, which TreeSHAP needs.
 *
 * Semantics are xgboost's, which the exporter (models/training/onnx_export.py)
 * writes as ONNX BRANCH_LT: a row goes to the `left` (ONNX "true") child when
 * x < threshold, compared in float32 exactly as xgboost and onnxruntime do
 * (the model input is a float32 tensor); a missing value (NaN) follows
 * `missingGoesLeft`. The margin is baseMargin + Σ leaf values; PD = sigmoid(margin).
 */

export interface Tree {
  /** split feature per node (-1 for a leaf) */
  feature: Int32Array;
  /** float32 split threshold per node (0 for a leaf) */
  threshold: Float32Array;
  /** child when x < threshold (-1 for a leaf) */
  left: Int32Array;
  /** child when x ≥ threshold (-1 for a leaf) */
  right: Int32Array;
  missingGoesLeft: Uint8Array;
  /** leaf value (0 for a split node) */
  value: Float64Array;
  /** training hessian sum reaching the node (xgboost `sum_hessian`): TreeSHAP's path weights */
  cover: Float64Array;
  /** cover-weighted mean leaf value below each node; [0] is the tree's expected value */
  meanValue: Float64Array;
  /** edges on the longest root-to-leaf path */
  depth: number;
}

export interface TreeEnsemble {
  featureCount: number;
  /** margin before any tree (xgboost's base_score as a logit) */
  baseMargin: number;
  trees: Tree[];
  /** deepest tree, for sizing TreeSHAP's path buffers */
  maxDepth: number;
}

/** One tree's nodes as flat arrays indexed by node id (the shape both ONNX and xgboost use). */
export interface TreeNodes {
  feature: ArrayLike<number>;
  threshold: ArrayLike<number>;
  left: ArrayLike<number>;
  right: ArrayLike<number>;
  missingGoesLeft: ArrayLike<number | boolean>;
  value: ArrayLike<number>;
  cover: ArrayLike<number>;
}

/**
 * Validates one tree's arrays and derives mean values and depth. Throws on
 * anything TreeSHAP could not walk: a child out of range or visited twice,
 * an unreachable node, a split on a feature the model has no input for, a
 * non-positive cover.
 */
export function buildTree(nodes: TreeNodes, featureCount: number, label = 'tree'): Tree {
  const n = nodes.left.length;
  const lengths = [nodes.feature, nodes.threshold, nodes.right, nodes.missingGoesLeft, nodes.value, nodes.cover].map((a) => a.length);
  if (n === 0 || lengths.some((l) => l !== n)) throw new Error(`${label}: node arrays are empty or of different lengths`);
  const tree: Tree = {
    feature: new Int32Array(n),
    threshold: new Float32Array(n),
    left: new Int32Array(n),
    right: new Int32Array(n),
    missingGoesLeft: new Uint8Array(n),
    value: new Float64Array(n),
    cover: new Float64Array(n),
    meanValue: new Float64Array(n),
    depth: 0,
  };
  for (let i = 0; i < n; i++) {
    const leaf = (nodes.left[i] as number) < 0;
    tree.left[i] = leaf ? -1 : (nodes.left[i] as number);
    tree.right[i] = leaf ? -1 : (nodes.right[i] as number);
    tree.feature[i] = leaf ? -1 : (nodes.feature[i] as number);
    tree.threshold[i] = leaf ? 0 : (nodes.threshold[i] as number);
    tree.missingGoesLeft[i] = nodes.missingGoesLeft[i] ? 1 : 0;
    tree.value[i] = leaf ? (nodes.value[i] as number) : 0;
    tree.cover[i] = nodes.cover[i] as number;
    if (!(tree.cover[i] > 0)) throw new Error(`${label} node ${i}: cover must be positive`);
    if (!leaf) {
      const f = tree.feature[i] as number;
      if (!Number.isInteger(f) || f < 0 || f >= featureCount) throw new Error(`${label} node ${i}: feature ${f} out of range`);
      for (const child of [tree.left[i], tree.right[i]] as number[]) {
        if (!Number.isInteger(child) || child <= 0 || child >= n) throw new Error(`${label} node ${i}: child ${child} out of range`);
      }
    }
  }
  // Walk from the root: every node reached exactly once (a tree, not a DAG or a cycle).
  const seen = new Uint8Array(n);
  const walk = (i: number, depth: number): number => {
    if (seen[i]) throw new Error(`${label}: node ${i} is reached twice`);
    seen[i] = 1;
    tree.depth = Math.max(tree.depth, depth);
    if (tree.left[i] === -1) {
      tree.meanValue[i] = tree.value[i] as number;
      return tree.meanValue[i] as number;
    }
    const l = tree.left[i] as number;
    const r = tree.right[i] as number;
    const mean = (walk(l, depth + 1) * (tree.cover[l] as number) + walk(r, depth + 1) * (tree.cover[r] as number)) / (tree.cover[i] as number);
    tree.meanValue[i] = mean;
    return mean;
  };
  walk(0, 0);
  if (seen.some((s) => s === 0)) throw new Error(`${label}: some nodes are unreachable from the root`);
  return tree;
}

export function buildTreeEnsemble(trees: Tree[], featureCount: number, baseMargin: number): TreeEnsemble {
  if (trees.length === 0) throw new Error('a tree ensemble needs at least one tree');
  return { featureCount, baseMargin, trees, maxDepth: Math.max(...trees.map((t) => t.depth)) };
}

/** The leaf a row reaches in one tree. `x` is compared in float32, NaN follows the missing branch. */
export function leafIndex(tree: Tree, x: ArrayLike<number>): number {
  let i = 0;
  while (tree.left[i] !== -1) {
    const v = x[tree.feature[i] as number] as number;
    const goLeft = Number.isNaN(v) ? tree.missingGoesLeft[i] === 1 : Math.fround(v) < (tree.threshold[i] as number);
    i = goLeft ? (tree.left[i] as number) : (tree.right[i] as number);
  }
  return i;
}

/** baseMargin + Σ leaf values (float64 sum; onnxruntime and xgboost sum in float32, ~1e-7 apart). */
export function predictMargin(ensemble: TreeEnsemble, x: ArrayLike<number>): number {
  if (x.length !== ensemble.featureCount) {
    throw new RangeError(`expected ${ensemble.featureCount} model inputs, got ${x.length}`);
  }
  let margin = ensemble.baseMargin;
  for (const tree of ensemble.trees) margin += tree.value[leafIndex(tree, x)] as number;
  return margin;
}

export const sigmoid = (margin: number): number => 1 / (1 + Math.exp(-margin));

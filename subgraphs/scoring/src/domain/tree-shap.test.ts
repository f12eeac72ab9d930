import { describe, expect, it } from 'vitest';
import { buildTree, buildTreeEnsemble, leafIndex, predictMargin, type Tree, type TreeEnsemble, type TreeNodes } from './tree-ensemble.js';
import { createIntervalTableShap, createLeafTableShap, createTreeShap, type TreeShap, treeShap } from './tree-shap.js';

/**
 * Brute-force Shapley values of the path-dependent value function
 * v(S) = E[f(x) | x_S]: splits on features in S follow x, others average both
 * children by cover. Exponential in the number of features, so only for tiny
 * models, but it is the definition TreeSHAP must match exactly.
 */
function conditionalExpectation(tree: Tree, x: ArrayLike<number>, inS: (f: number) => boolean, node = 0): number {
  if (tree.left[node] === -1) return tree.value[node] as number;
  const l = tree.left[node] as number;
  const r = tree.right[node] as number;
  const f = tree.feature[node] as number;
  if (inS(f)) {
    const v = x[f] as number;
    const goLeft = Number.isNaN(v) ? tree.missingGoesLeft[node] === 1 : Math.fround(v) < (tree.threshold[node] as number);
    return conditionalExpectation(tree, x, inS, goLeft ? l : r);
  }
  return (
    ((tree.cover[l] as number) * conditionalExpectation(tree, x, inS, l) + (tree.cover[r] as number) * conditionalExpectation(tree, x, inS, r)) /
    (tree.cover[node] as number)
  );
}

function bruteForceShap(ensemble: TreeEnsemble, x: ArrayLike<number>): { bias: number; phi: number[] } {
  const m = ensemble.featureCount;
  const v = (mask: number) => ensemble.trees.reduce((s, t) => s + conditionalExpectation(t, x, (f) => ((mask >> f) & 1) === 1), ensemble.baseMargin);
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const phi = new Array<number>(m).fill(0);
  for (let i = 0; i < m; i++) {
    for (let mask = 0; mask < 1 << m; mask++) {
      if ((mask >> i) & 1) continue;
      const size = mask
        .toString(2)
        .split('')
        .filter((b) => b === '1').length;
      const weight = (factorial(size) * factorial(m - size - 1)) / factorial(m);
      phi[i] = (phi[i] as number) + weight * (v(mask | (1 << i)) - v(mask));
    }
  }
  return { bias: v(0), phi };
}

const F64 = { accumulate: 'float64' } as const;
const LEAF = { feature: 0, threshold: 0, left: -1, right: -1, missingGoesLeft: 0 };
type NodeSpec = { feature: number; threshold: number; left: number; right: number; missingGoesLeft: number; value?: number; cover: number };
function tree(nodes: NodeSpec[], featureCount: number): Tree {
  const arrays: TreeNodes = {
    feature: nodes.map((n) => n.feature),
    threshold: nodes.map((n) => n.threshold),
    left: nodes.map((n) => n.left),
    right: nodes.map((n) => n.right),
    missingGoesLeft: nodes.map((n) => n.missingGoesLeft),
    value: nodes.map((n) => n.value ?? 0),
    cover: nodes.map((n) => n.cover),
  };
  return buildTree(arrays, featureCount);
}
const split = (feature: number, threshold: number, left: number, right: number, cover: number, missingGoesLeft = 1): NodeSpec => ({
  feature,
  threshold,
  left,
  right,
  missingGoesLeft,
  cover,
});
const leaf = (value: number, cover: number): NodeSpec => ({ ...LEAF, value, cover });

// Four features; trees reuse a feature on one path (tree A splits on 0 twice) and mix depths.
const ensemble = buildTreeEnsemble(
  [
    tree(
      [
        split(0, 0.5, 1, 2, 100),
        split(1, 2, 3, 4, 60),
        split(0, 1.5, 5, 6, 40, 0),
        leaf(-0.4, 35),
        leaf(0.2, 25),
        leaf(0.1, 10),
        split(2, 0, 7, 8, 30),
        leaf(0.6, 12),
        leaf(0.9, 18),
      ],
      4,
    ),
    tree([split(3, 10, 1, 2, 100), leaf(-0.25, 70), split(1, 1, 3, 4, 30), leaf(0.05, 5), leaf(0.5, 25)], 4),
    tree([leaf(0.03, 100)], 4), // a single leaf only moves the bias
  ],
  4,
  -0.7,
);

const rows: number[][] = [
  [0.2, 1, -1, 3],
  [0.9, 3, 0.5, 20],
  [2, 0.5, -2, 11],
  [Number.NaN, 5, 1, 9], // missing: tree A root sends it left
  [1.5, 1, 0, 10], // exactly on thresholds: x < t is false, so right
];

describe('treeShap', () => {
  it('equals brute-force Shapley values of E[f(x) | x_S] on every row', () => {
    for (const x of rows) {
      const shap = treeShap(ensemble, x, F64);
      const exact = bruteForceShap(ensemble, x);
      expect(shap.bias).toBeCloseTo(exact.bias, 12);
      exact.phi.forEach((p, i) => {
        expect(shap.contributions[i], `row ${x} feature ${i}`).toBeCloseTo(p, 12);
      });
    }
  });

  it('is locally accurate: bias + Σ contributions = the margin', () => {
    for (const x of rows) {
      const shap = treeShap(ensemble, x, F64);
      const total = shap.contributions.reduce((s, c) => s + c, shap.bias);
      expect(total).toBeCloseTo(predictMargin(ensemble, x), 12);
    }
  });

  it('gives zero to a feature no tree splits on, and a row-independent bias', () => {
    const unused = buildTreeEnsemble([tree([split(0, 1, 1, 2, 10), leaf(-1, 4), leaf(1, 6)], 3)], 3, 0);
    const a = treeShap(unused, [0, 5, 5], F64);
    const b = treeShap(unused, [3, -5, 7], F64);
    expect(a.contributions[1]).toBe(0);
    expect(a.contributions[2]).toBe(0);
    expect(a.bias).toBeCloseTo(0.2, 12); // (4·−1 + 6·1) / 10
    expect(b.bias).toBe(a.bias);
    expect(a.contributions[0]).toBeCloseTo(-1.2, 12);
    expect(b.contributions[0]).toBeCloseTo(0.8, 12);
  });

  it('gives the same values from the interval and per-leaf tables as from the recursion', () => {
    const interval = createIntervalTableShap(ensemble, F64);
    expect(interval).not.toBeNull();
    for (const accumulate of ['float64', 'float32'] as const) {
      for (const fast of [createTreeShap(ensemble, { accumulate }), createLeafTableShap(ensemble, { accumulate })]) {
        for (const x of [...rows, [0.5, 2, 0, 10], [-9, -9, -9, -9], [9, 9, 9, 9]]) {
          const a = fast(x);
          const b = treeShap(ensemble, x, { accumulate });
          expect(a.bias).toBe(b.bias);
          a.contributions.forEach((c, i) => {
            expect(c).toBeCloseTo(b.contributions[i] as number, accumulate === 'float64' ? 12 : 6);
          });
        }
        expect(() => fast([1])).toThrow(RangeError);
      }
      // a batch gives each row's values bit for bit, missing values included
      const shap = createTreeShap(ensemble, { accumulate });
      const batchRows = [...rows, [0.5, 2, 0, 10], [-9, -9, -9, -9], [9, 9, 9, 9]];
      expect(shap.batch(batchRows)).toEqual(batchRows.map((x) => shap(x)));
      expect(() => shap.batch([[1]])).toThrow(RangeError);
    }
  });

  it('gives the recursion values from the interval tables on random ensembles sharing features and thresholds', () => {
    // Deterministic LCG: trees of depth ≤ 4 over 5 features, thresholds from a small grid so
    // trees share some and differ in others (the global bins must map onto each tree's intervals).
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const grid = [-1, -0.25, 0, 0.5, 1.5, 3];
    const randomTree = (featureCount: number): Tree => {
      const nodes: NodeSpec[] = [];
      const grow = (depth: number, cover: number): number => {
        const id = nodes.length;
        if (depth === 4 || (depth > 0 && random() < 0.2)) {
          nodes.push(leaf(random() * 2 - 1, cover));
          return id;
        }
        nodes.push(split(Math.floor(random() * featureCount), grid[Math.floor(random() * grid.length)] as number, -1, -1, cover, random() < 0.5 ? 1 : 0));
        const leftCover = cover * (0.2 + 0.6 * random());
        const node = nodes[id] as NodeSpec;
        node.left = grow(depth + 1, leftCover);
        node.right = grow(depth + 1, cover - leftCover);
        return id;
      };
      grow(0, 100);
      return tree(nodes, featureCount);
    };
    const random5 = buildTreeEnsemble(
      Array.from({ length: 40 }, () => randomTree(5)),
      5,
      0.3,
    );
    const fast64 = createIntervalTableShap(random5, F64);
    const fast32 = createIntervalTableShap(random5);
    expect(fast64).not.toBeNull();
    expect(fast32).not.toBeNull();
    const rowsSeen: number[][] = [];
    for (let r = 0; r < 200; r++) {
      // Half the values sit exactly on a grid threshold (x < t is false there), half between.
      const x = Array.from({ length: 5 }, () => (random() < 0.5 ? (grid[Math.floor(random() * grid.length)] as number) : random() * 5 - 1.5));
      const exact = treeShap(random5, x, F64);
      const a = (fast64 as TreeShap)(x);
      expect(a.bias).toBe(exact.bias);
      a.contributions.forEach((c, i) => {
        expect(c, `row ${x} feature ${i}`).toBeCloseTo(exact.contributions[i] as number, 12);
      });
      const reference32 = treeShap(random5, x);
      const b = (fast32 as TreeShap)(x);
      expect(b.bias).toBe(reference32.bias);
      b.contributions.forEach((c, i) => {
        expect(Math.abs(c - (reference32.contributions[i] as number))).toBeLessThan(1e-6);
      });
      rowsSeen.push(x);
    }
    const tree32 = fast32 as TreeShap;
    const tree64 = fast64 as TreeShap;
    expect(tree32.batch(rowsSeen)).toEqual(rowsSeen.map((x) => tree32(x)));
    expect(tree64.batch(rowsSeen)).toEqual(rowsSeen.map((x) => tree64(x)));
  });

  it('sums trees in float32 by default (as xgboost), within float32 rounding of the float64 sum', () => {
    for (const x of rows) {
      const f32 = treeShap(ensemble, x);
      const f64 = treeShap(ensemble, x, F64);
      expect(f32.bias).toBe(Math.fround(f32.bias));
      expect(Math.abs(f32.bias - f64.bias)).toBeLessThan(1e-6);
      f32.contributions.forEach((c, i) => {
        expect(c).toBe(Math.fround(c));
        expect(Math.abs(c - (f64.contributions[i] as number))).toBeLessThan(1e-6);
      });
    }
  });

  it('refuses a row of the wrong width', () => {
    expect(() => treeShap(ensemble, [1, 2])).toThrow(RangeError);
  });
});

describe('tree ensemble', () => {
  it('compares in float32, as onnxruntime and xgboost do', () => {
    const t = tree([split(0, Math.fround(0.1), 1, 2, 10), leaf(-1, 5), leaf(1, 5)], 1);
    // 0.1 in float64 is below fround(0.1) but rounds to it: not < threshold, so right.
    expect(0.1 < (t.threshold[0] as number)).toBe(true);
    expect(leafIndex(t, [0.1])).toBe(2);
  });

  it('rejects malformed trees', () => {
    expect(() => tree([split(0, 1, 1, 5, 10), leaf(0, 5), leaf(0, 5)], 1)).toThrow(/out of range/);
    expect(() => tree([split(2, 1, 1, 2, 10), leaf(0, 5), leaf(0, 5)], 1)).toThrow(/feature 2 out of range/);
    expect(() => tree([split(0, 1, 1, 1, 10), leaf(0, 5)], 1)).toThrow(/reached twice/);
    expect(() => tree([leaf(0, 10), leaf(0, 5)], 1)).toThrow(/unreachable/);
    expect(() => tree([split(0, 1, 1, 2, 10), leaf(0, 0), leaf(0, 5)], 1)).toThrow(/cover must be positive/);
    expect(() => buildTreeEnsemble([], 1, 0)).toThrow();
  });
});

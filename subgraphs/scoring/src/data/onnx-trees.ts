/**
 * Reads the trees out of an ONNX model file, so TreeSHAP explains the very
 * trees onnxruntime evaluates (not a second copy that could drift from them).
 *
 * Only the ONNX protobuf fields needed are declared below (field numbers from
 * onnx/onnx.proto); protobufjs skips every other field. Expected graph, as
 * models/training/onnx_export.py writes it:
 *
 *   features → ai.onnx.ml.TreeEnsembleRegressor (SUM, BRANCH_LT/LEAF, 1 target,
 *              post_transform NONE) → margin → Sigmoid → probability
 *
 * TreeEnsembleRegressor has no attribute for node covers, so the exporter puts
 * them in ModelProto.metadata_props["tandem.node_covers"]: a JSON array with
 * one cover per entry of the nodes_* attributes, in the same order.
 */

import { readFile } from 'node:fs/promises';
import protobuf from 'protobufjs';
import { buildTree, buildTreeEnsemble, type Tree, type TreeEnsemble } from '../domain/tree-ensemble.js';

export const NODE_COVERS_KEY = 'tandem.node_covers';

const ONNX_SUBSET = `
syntax = "proto2";
package onnx;
message AttributeProto {
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
}
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  repeated AttributeProto attribute = 5;
  optional string domain = 7;
}
message GraphProto {
  repeated NodeProto node = 1;
}
message StringStringEntryProto {
  optional string key = 1;
  optional string value = 2;
}
message ModelProto {
  optional GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
}
`;

const ModelProto = protobuf.parse(ONNX_SUBSET).root.lookupType('onnx.ModelProto');

interface Attribute {
  name: string;
  f?: number;
  i?: number;
  s?: Uint8Array;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}
interface NodeProto {
  input?: string[];
  output?: string[];
  opType?: string;
  domain?: string;
  attribute?: Attribute[];
}
interface Model {
  graph?: { node?: NodeProto[] };
  metadataProps?: { key?: string; value?: string }[];
}

const text = new TextDecoder();

/** The tree ensemble in an ONNX file's bytes. Throws on any graph it cannot explain exactly. */
export function treeEnsembleFromOnnx(bytes: Uint8Array, featureCount: number): TreeEnsemble {
  const model = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, arrays: true, defaults: false }) as Model;
  const nodes = model.graph?.node ?? [];
  const ensembleNodes = nodes.filter((n) => n.opType === 'TreeEnsembleRegressor' && n.domain === 'ai.onnx.ml');
  if (ensembleNodes.length !== 1) throw new Error(`expected one ai.onnx.ml TreeEnsembleRegressor, found ${ensembleNodes.length}`);
  const ensemble = ensembleNodes[0] as NodeProto;
  const margin = ensemble.output?.[0];
  if (!nodes.some((n) => n.opType === 'Sigmoid' && n.input?.[0] === margin)) {
    throw new Error('the ensemble output must feed a Sigmoid (the explanation is in logit space)');
  }

  const attrs = new Map((ensemble.attribute ?? []).map((a) => [a.name, a]));
  const ints = (name: string): number[] => attrs.get(name)?.ints ?? [];
  const floats = (name: string): number[] => attrs.get(name)?.floats ?? [];
  const str = (name: string): string | undefined => {
    const s = attrs.get(name)?.s;
    return s ? text.decode(s) : undefined;
  };
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`TreeEnsembleRegressor: ${what}`);
  };
  check((str('aggregate_function') ?? 'SUM') === 'SUM', 'aggregate_function must be SUM');
  check((str('post_transform') ?? 'NONE') === 'NONE', 'post_transform must be NONE');
  check((attrs.get('n_targets')?.i ?? 1) === 1, 'n_targets must be 1');
  check(!attrs.has('nodes_hitrates') && !attrs.has('nodes_values_as_tensor'), 'unsupported attributes');

  const treeIds = ints('nodes_treeids');
  const nodeIds = ints('nodes_nodeids');
  const featureIds = ints('nodes_featureids');
  const values = floats('nodes_values');
  const modes = (attrs.get('nodes_modes')?.strings ?? []).map((m) => text.decode(m));
  const trueIds = ints('nodes_truenodeids');
  const falseIds = ints('nodes_falsenodeids');
  const missingTrue = ints('nodes_missing_value_tracks_true');
  const n = treeIds.length;
  check(
    [nodeIds, featureIds, values, modes, trueIds, falseIds].every((a) => a.length === n) && (missingTrue.length === n || missingTrue.length === 0),
    'nodes_* attributes differ in length',
  );
  check(
    modes.every((m) => m === 'BRANCH_LT' || m === 'LEAF'),
    'only BRANCH_LT and LEAF nodes are supported',
  );

  const coversJson = model.metadataProps?.find((p) => p.key === NODE_COVERS_KEY)?.value;
  if (!coversJson) throw new Error(`model has no metadata_props["${NODE_COVERS_KEY}"] (node covers for TreeSHAP)`);
  const covers = JSON.parse(coversJson) as unknown;
  if (!Array.isArray(covers) || covers.length !== n || !covers.every((c) => typeof c === 'number')) {
    throw new Error(`metadata_props["${NODE_COVERS_KEY}"] must hold ${n} numbers`);
  }

  // Group node entries by tree; node ids must be 0..k-1 within each tree.
  const byTree = new Map<number, number[]>();
  treeIds.forEach((t, k) => {
    const list = byTree.get(t) ?? [];
    list.push(k);
    byTree.set(t, list);
  });
  const leafWeights = new Map<string, number>();
  const targetTrees = ints('target_treeids');
  const targetNodes = ints('target_nodeids');
  const targetIds = ints('target_ids');
  const targetWeights = floats('target_weights');
  check(
    targetNodes.length === targetTrees.length && targetWeights.length === targetTrees.length && targetIds.every((t) => t === 0),
    'target_* attributes must be aligned and address target 0',
  );
  targetTrees.forEach((t, k) => {
    const key = `${t}:${targetNodes[k]}`;
    leafWeights.set(key, (leafWeights.get(key) ?? 0) + (targetWeights[k] as number));
  });

  const trees: Tree[] = [];
  for (const treeId of [...byTree.keys()].sort((a, b) => a - b)) {
    const entries = byTree.get(treeId) as number[];
    const size = entries.length;
    const left = new Int32Array(size).fill(-1);
    const right = new Int32Array(size).fill(-1);
    const feature = new Int32Array(size);
    const threshold = new Float32Array(size);
    const missing = new Uint8Array(size);
    const value = new Float64Array(size);
    const cover = new Float64Array(size);
    const filled = new Uint8Array(size);
    for (const k of entries) {
      const id = nodeIds[k] as number;
      check(Number.isInteger(id) && id >= 0 && id < size && !filled[id], `tree ${treeId}: node ids must be 0..${size - 1}`);
      filled[id] = 1;
      cover[id] = covers[k] as number;
      if (modes[k] === 'LEAF') {
        value[id] = leafWeights.get(`${treeId}:${id}`) ?? 0;
      } else {
        left[id] = trueIds[k] as number;
        right[id] = falseIds[k] as number;
        feature[id] = featureIds[k] as number;
        threshold[id] = values[k] as number;
        missing[id] = missingTrue.length ? (missingTrue[k] as number) : 0;
      }
    }
    trees.push(buildTree({ feature, threshold, left, right, missingGoesLeft: missing, value, cover }, featureCount, `tree ${treeId}`));
  }
  return buildTreeEnsemble(trees, featureCount, floats('base_values')[0] ?? 0);
}

export async function readOnnxTreeEnsemble(path: string, featureCount: number): Promise<TreeEnsemble> {
  return treeEnsembleFromOnnx(await readFile(path), featureCount);
}

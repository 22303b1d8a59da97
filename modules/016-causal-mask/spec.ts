// 016 causal-mask: cases, oracle, hints and known mistakes.
import { arg, mkCase, model } from "../../src/core/spec-kit.ts";
import { intTensor, maskTensor, tensor } from "../../src/core/tensor.ts";
import type { Case, IntTensor, MaskTensor, ModuleBody, Tensor, TolMap } from "../../src/core/types.ts";
import type { Graph } from "../../src/onnx/graph.ts";
import type { Rng } from "../../src/core/rng.ts";
import { mistakes } from "./mistakes.ts";
import * as reference from "./reference.ts";

// masks compare exactly (integer outputs); applyMask copies or replaces values: exact too
const EXACT: TolMap = { "*": { atol: 0, rtol: 0 } };
const TO_INT64 = 7;
const i64 = (g: Graph, v: string) => g.op1("Cast", [v], { to: TO_INT64 });

// causalMask oracle: ONNX Trilu (upper, k = Tk - Tq + 1) of an all-true [Tq, Tk] bool tensor:
// it keeps j - i >= k, i.e. j > Tk - Tq + i, the future keys of a bottom-right aligned query i
const causalModel = model("016/causal-mask", (g) => {
  const ones = g.op1("Expand", [g.constant([1], [], "bool"), i64(g, g.input("shape", "int32"))]);
  g.output(g.op1("Trilu", [ones, i64(g, g.input("k", "int32"))], { upper: 1 }), "mask", "bool");
});

// applyMask oracle: ONNX Where(mask, -Infinity, scores), the [Tq, Tk] mask broadcast over leading axes
const applyModel = model("016/apply-mask", (g) =>
  g.output(g.op1("Where", [g.input("mask", "bool"), g.scalar(-Infinity), g.input("scores")]), "y"));

// paddingMask oracle: Range(0, Tk) >= lengths[:, None]
const paddingModel = model("016/padding-mask", (g) => {
  const keys = g.op1("Range", [g.constant([0], []), i64(g, g.input("tk", "int32")), g.constant([1], [])]);
  const lengths = g.op1("Unsqueeze", [i64(g, g.input("lengths", "int32")), g.constant([1], [1])]);
  g.output(g.op1("GreaterOrEqual", [keys, lengths]), "mask", "bool");
});

const X = (data: number[], shape: number[]) => tensor(data, shape);
const causal = (Tq: number, Tk: number) => reference.causalMask(Tq, Tk);

function fixtureCases(): Case[] {
  return [
    mkCase("worked example: causal mask for Tq = Tk = 4", "causalMask", { Tq: 4, Tk: 4 }, EXACT),
    mkCase("decoding with a cache, Tq = 2 < Tk = 5: bottom-right, query i sees keys j <= 3 + i", "causalMask", { Tq: 2, Tk: 5 }, EXACT),
    mkCase("one new token (Tq = 1, Tk = 6) sees every key: nothing masked", "causalMask", { Tq: 1, Tk: 6 }, EXACT),
    mkCase("Tq = Tk = 1: nothing masked", "causalMask", { Tq: 1, Tk: 1 }, EXACT),
    mkCase("applyMask worked example: [3,3] scores, masked scores become -Infinity", "applyMask", { scores: X([0.5, 1, -2, 3, 0, 1.5, -1, 2, 4], [3, 3]), mask: causal(3, 3) }, EXACT),
    mkCase("applyMask on [2,2,3,3] scores: the [Tq,Tk] mask broadcasts over batch and heads", "applyMask", {
      scores: X(Array.from({ length: 36 }, (_, i) => ((i * 7) % 11) - 5), [2, 2, 3, 3]), mask: causal(3, 3),
    }, EXACT),
    mkCase("applyMask when decoding (Tq = 2, Tk = 4) on [1,2,2,4] scores", "applyMask", {
      scores: X(Array.from({ length: 16 }, (_, i) => i / 4 - 2), [1, 2, 2, 4]), mask: causal(2, 4),
    }, EXACT),
    mkCase("applyMask keeps a mask it did not build: any [Tq,Tk] pattern", "applyMask", { scores: X([1, 2, 3, 4, 5, 6], [2, 3]), mask: maskTensor([0, 1, 0, 1, 0, 1], [2, 3]) }, EXACT),
    mkCase("paddingMask: lengths [3, 1, 4] with Tk = 4 (a full-length row has no padding)", "paddingMask", { lengths: intTensor([3, 1, 4], [3]), Tk: 4 }, EXACT),
    mkCase("paddingMask: length 0 masks every key of its row", "paddingMask", { lengths: intTensor([0, 2], [2]), Tk: 3 }, EXACT),
  ];
}

function randomCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  for (let k = 0; k < 2; k++) {
    const Tk = rng.int(1, 12);
    const Tq = rng.int(1, Tk);
    cases.push(mkCase(`causalMask Tq ${Tq} Tk ${Tk}`, "causalMask", { Tq, Tk }, EXACT));
  }
  for (let k = 0; k < 2; k++) {
    const Tk = rng.int(1, 8);
    const Tq = rng.int(1, Tk);
    const lead = Array.from({ length: rng.int(0, 2) }, () => rng.int(1, 3));
    const shape = [...lead, Tq, Tk];
    cases.push(mkCase(`applyMask scores[${shape}]`, "applyMask", { scores: rng.tensor(shape, 3), mask: causal(Tq, Tk) }, EXACT));
  }
  {
    const B = rng.int(1, 4);
    const Tk = rng.int(1, 10);
    const lengths = intTensor(Array.from({ length: B }, () => rng.int(0, Tk)), [B]);
    cases.push(mkCase(`paddingMask B ${B} Tk ${Tk}`, "paddingMask", { lengths, Tk }, EXACT));
  }
  return cases;
}

const spec: ModuleBody = {
  summary:
    "Build the causal mask (1 = masked future key) aligned bottom-right for decoding with a cache, apply a [Tq,Tk] mask to attention scores of any leading shape (masked -> -Infinity), and build a key-padding mask from sequence lengths.",
  functions: [
    { name: "causalMask", signature: "causalMask(Tq: number, Tk: number): MaskTensor", doc: "out is Uint8 [Tq, Tk]; 1 where j > Tk - Tq + i (query i sits at absolute position Tk - Tq + i); Tq <= Tk" },
    { name: "applyMask", signature: "applyMask(scores: Tensor, mask: MaskTensor): Tensor", doc: "scores is [..., Tq, Tk], mask is [Tq, Tk] broadcast over the leading axes; masked -> -Infinity, others copied" },
    { name: "paddingMask", signature: "paddingMask(lengths: IntTensor, Tk: number): MaskTensor", doc: "lengths is Int32 [B]; out is Uint8 [B, Tk], 1 where key j >= lengths[b] (padding)" },
  ],
  toleranceText: "exact: masks are integers and applyMask copies values (-Infinity where masked)",
  oracleText: "causalMask: ONNX Trilu (upper, k = Tk - Tq + 1) of an all-ones bool [Tq,Tk]; applyMask: ONNX Where(mask, -Infinity, scores); paddingMask: Range(0, Tk) >= lengths (GreaterOrEqual)",
  hints: {
    nudge: "Write down the 2 x 5 mask for a decode step with 3 cached tokens by hand. Which absolute position does query 0 sit at?",
    formula: "causal: mask[i, j] = 1 if j > (Tk - Tq) + i else 0. applyMask: out = mask ? -Infinity : score, with the [Tq, Tk] mask repeating every Tq*Tk values. padding: mask[b, j] = 1 if j >= lengths[b].",
    pseudocode: [
      "causalMask: off = Tk - Tq; for i < Tq, j < Tk: m[i*Tk + j] = (j > off + i) ? 1 : 0",
      "applyMask:  n = Tq*Tk; for p < scores.length: out[p] = mask[p % n] ? -Infinity : scores[p]",
      "paddingMask: for b < B, j < Tk: m[b*Tk + j] = (j >= lengths[b]) ? 1 : 0",
    ].join("\n"),
  },
  fixtureCases,
  randomCases,
  async oracle(c, ort) {
    if (c.fn === "causalMask") {
      const Tq = arg<number>(c, "Tq"), Tk = arg<number>(c, "Tk");
      return (await ort.run(causalModel, { shape: intTensor([Tq, Tk], [2]), k: intTensor([Tk - Tq + 1], []) })).mask!;
    }
    if (c.fn === "applyMask") return (await ort.run(applyModel, { scores: arg<Tensor>(c, "scores"), mask: arg<MaskTensor>(c, "mask") })).y!;
    return (await ort.run(paddingModel, { lengths: arg<IntTensor>(c, "lengths"), tk: intTensor([arg<number>(c, "Tk")], []) })).mask!;
  },
  reference: reference as Record<string, unknown>,
  mistakes,
};

export default spec;

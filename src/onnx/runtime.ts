// onnxruntime-node sessions, one per oracle graph per process, created on first use.
import { createRequire } from "node:module";
import type { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import type { AnyTensor, OracleModel, OracleRunner } from "../core/types.js";

type Ort = typeof import("onnxruntime-node");
let ortPromise: Promise<Ort> | undefined;

const requireCjs = createRequire(import.meta.url);

/**
 * Loads onnxruntime-node once (it costs tens of milliseconds; only grading needs it). Through require:
 * it is CommonJS, and import() would first scan its sources for exports (cjs-module-lexer).
 */
export function loadOrt(): Promise<Ort> {
  ortPromise ??= Promise.resolve().then(() => requireCjs("onnxruntime-node") as Ort);
  return ortPromise;
}

const sessions = new Map<string, Promise<InferenceSession>>();

async function session(model: OracleModel): Promise<InferenceSession> {
  let s = sessions.get(model.key);
  if (!s) {
    s = loadOrt().then((ort) =>
      ort.InferenceSession.create(model.build(), {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: "basic",
        logSeverityLevel: 3,
      }),
    );
    sessions.set(model.key, s);
    s.catch(() => sessions.delete(model.key));
  }
  return s;
}

function toOrt(ort: Ort, t: AnyTensor): OrtTensor {
  if (t.data instanceof Float32Array) return new ort.Tensor("float32", t.data, t.shape);
  if (t.data instanceof Int32Array) return new ort.Tensor("int32", t.data, t.shape);
  return new ort.Tensor("bool", t.data, t.shape);
}

function fromOrt(t: OrtTensor): AnyTensor {
  const shape = t.dims.map(Number);
  const d = t.data;
  if (d instanceof Float32Array) return { data: new Float32Array(d), shape };
  if (d instanceof Float64Array) return { data: Float32Array.from(d), shape };
  if (d instanceof Int32Array) return { data: new Int32Array(d), shape };
  if (d instanceof BigInt64Array) return { data: Int32Array.from(d, (x) => Number(x)), shape };
  if (d instanceof Uint8Array) return { data: new Uint8Array(d), shape };
  throw new Error(`oracle output of type ${t.type} is not supported`);
}

/** The process-wide runner handed to module oracles. */
export const ortRunner: OracleRunner = {
  async run(model, feeds) {
    const [ort, s] = await Promise.all([loadOrt(), session(model)]);
    const ortFeeds: Record<string, OrtTensor> = {};
    for (const [k, v] of Object.entries(feeds)) ortFeeds[k] = toOrt(ort, v);
    const out = await s.run(ortFeeds);
    const res: Record<string, AnyTensor> = {};
    for (const [k, v] of Object.entries(out)) res[k] = fromOrt(v as OrtTensor);
    return res;
  },
};

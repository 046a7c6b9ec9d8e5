// Per category, the first stage's two readers blended: z = a·z_linear + b·z_network + c, a logistic
// regression on the pooled out-of-fold scores (Newton's method, a light ridge). Its output is a logit
// like the linear model's, so the Platt map and the second stage read it unchanged.
import { BLEND_CLIP, blendLogit, type FirstStageBlend } from "../src/classification/clause-model/bag-network";

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export type Blend = FirstStageBlend;

export function fitBlend(linear: Float32Array, network: Float32Array, labels: Uint8Array, C: number, rows?: Int32Array): Blend {
  const n = labels.length / C;
  const use = rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const out = { linear: new Float32Array(C), network: new Float32Array(C), bias: new Float32Array(C) };
  const RIDGE = 1;
  for (let c = 0; c < C; c++) {
    const loss = (w: number[]) => {
      let l = 0.5 * RIDGE * (w[0]! ** 2 + w[1]! ** 2);
      for (const i of use) {
        const z = w[0]! * clamp(linear[i * C + c]!) + w[1]! * clamp(network[i * C + c]!) + w[2]!;
        l += labels[i * C + c] ? softplus(-z) : softplus(z);
      }
      return l;
    };
    let w = [1, 0, 0];
    let current = loss(w);
    for (let iter = 0; iter < 30; iter++) {
      const g = [RIDGE * w[0]!, RIDGE * w[1]!, 0];
      const h = [[RIDGE, 0, 0], [0, RIDGE, 0], [0, 0, 1e-6]];
      for (const i of use) {
        const x = [clamp(linear[i * C + c]!), clamp(network[i * C + c]!), 1];
        const p = sigmoid(w[0]! * x[0]! + w[1]! * x[1]! + w[2]!);
        const d = p - labels[i * C + c]!;
        const q = Math.max(p * (1 - p), 1e-9);
        for (let a = 0; a < 3; a++) {
          g[a]! += d * x[a]!;
          for (let b = 0; b < 3; b++) h[a]![b]! += q * x[a]! * x[b]!;
        }
      }
      const step = solve3(h, g);
      // Backtracking: Newton's full step can overshoot where the scores nearly separate the labels.
      let t = 1;
      let next = w.map((v, k) => v - step[k]!);
      let l = loss(next);
      while (l > current && t > 1e-4) {
        t /= 2;
        next = w.map((v, k) => v - t * step[k]!);
        l = loss(next);
      }
      if (l > current) break;
      const gain = current - l;
      w = next;
      current = l;
      if (gain < 1e-6 * Math.max(1, current)) break;
    }
    out.linear[c] = w[0]!;
    out.network[c] = w[1]!;
    out.bias[c] = w[2]!;
  }
  return out;
}

const softplus = (z: number) => (z > 30 ? z : Math.log1p(Math.exp(z)));
const clamp = (z: number) => (z < -BLEND_CLIP ? -BLEND_CLIP : z > BLEND_CLIP ? BLEND_CLIP : z);

/** The blended logits, [i * C + c] (through the run-time blendLogit). */
export function applyBlend(b: Blend, linear: Float32Array, network: Float32Array, C: number): Float32Array {
  const out = new Float32Array(linear.length);
  for (let i = 0; i < linear.length; i++) out[i] = blendLogit(b, i % C, linear[i]!, network[i]!);
  return out;
}

function solve3(a: number[][], y: number[]): number[] {
  const m = a.map((r, i) => [...r, y[i]!]);
  for (let i = 0; i < 3; i++) {
    let p = i;
    for (let k = i + 1; k < 3; k++) if (Math.abs(m[k]![i]!) > Math.abs(m[p]![i]!)) p = k;
    [m[i], m[p]] = [m[p]!, m[i]!];
    const d = m[i]![i]! || 1e-12;
    for (let k = 0; k < 3; k++) {
      if (k === i) continue;
      const f = m[k]![i]! / d;
      for (let j = i; j < 4; j++) m[k]![j]! -= f * m[i]![j]!;
    }
  }
  return [0, 1, 2].map((i) => m[i]![3]! / (m[i]![i]! || 1e-12));
}

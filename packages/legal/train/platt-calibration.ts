// Platt scaling per category on pooled out-of-fold logits (the first stage's calibration).
import { fitPlatt } from "./logistic-trainer";

export function plattCalibration(logits: Float32Array, labels: Uint8Array, C: number): { probabilities: Float32Array; calibration: { a: Float32Array; b: Float32Array } } {
  const size = logits.length / C;
  const a = new Float32Array(C);
  const b = new Float32Array(C);
  const probabilities = new Float32Array(size * C);
  for (let c = 0; c < C; c++) {
    const z = new Float32Array(size);
    const y = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      z[i] = logits[i * C + c]!;
      y[i] = labels[i * C + c]!;
    }
    const fit = fitPlatt(z, y);
    a[c] = fit.a;
    b[c] = fit.b;
    for (let i = 0; i < size; i++) probabilities[i * C + c] = 1 / (1 + Math.exp(-(fit.a * z[i]! + fit.b)));
  }
  return { probabilities, calibration: { a, b } };
}

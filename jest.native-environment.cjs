// Jest runs tests in a separate V8 context, whose typed arrays are not the ones native addons
// (onnxruntime-node, LanceDB, node-llama-cpp) create; `instanceof Float32Array` then fails inside the addon's JS.
// This environment shares the host's typed-array constructors with the test context.
const { TestEnvironment } = require("jest-environment-node");

const SHARED = [
  "ArrayBuffer", "SharedArrayBuffer", "DataView", "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array",
  "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
];

class NativeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = NativeEnvironment;

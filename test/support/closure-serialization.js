// What jest.config.js hands the Pulumi SDK in place of TypeScript and npm's Arborist (moduleNameMapper). The
// SDK loads them (10 MB of JavaScript) only to serialize JavaScript closures and analyze providers, which no
// program here does; every test file that loaded the SDK compiled them again. The action's bundle leaves them
// out the same way (action/build.ts). Any use throws, naming this file.
module.exports = new Proxy(
  {},
  {
    get(_, key) {
      // Module interop (`__importStar`) may look at `__esModule` while loading.
      if (key === '__esModule' || typeof key === 'symbol') return undefined;
      throw new Error(
        `the Pulumi SDK's closure serialization (TypeScript, npm's Arborist) is not loaded in the tests: ${String(key)} was read (test/support/closure-serialization.js)`,
      );
    },
  },
);

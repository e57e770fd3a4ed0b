// Import this first in a test file: from then on `require("vscode")` returns the stub.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const Module = require("module") as { _resolveFilename: (request: string, ...rest: unknown[]) => string };

const original = Module._resolveFilename;
const stubPath = require.resolve("./vscode-stub");
Module._resolveFilename = function (request: string, ...rest: unknown[]): string {
  return request === "vscode" ? stubPath : original.call(this, request, ...rest);
};

export {};

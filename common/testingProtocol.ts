// Profiling Go tests and benchmarks from the editor: the functions the language server finds in a
// `_test.go` file (a lens above each, "Profile test ▸" / "Profile benchmark ▸", whose command the client
// runs with a TestFunctionRef), and the one custom message, which turns those lenses on or off. Running
// `go test` builds and runs the workspace's code, so the client turns them on only in a trusted workspace;
// until it does, the server shows none. Plain types: no vscode, Node or LSP imports.

import { request } from './protocol';

/** A test (`func TestXxx(t *testing.T)`) or a benchmark (`func BenchmarkXxx(b *testing.B)`). */
export type TestFunctionKind = 'test' | 'benchmark';

/** The argument of a test lens's command: which function of which document to profile. */
export interface TestFunctionRef {
  /** The `_test.go` document's URI. */
  readonly uri: string;
  readonly name: string;
  readonly kind: TestFunctionKind;
}

export interface TestLensesParams {
  /** Show the lenses (the workspace is trusted) or not. */
  readonly enabled: boolean;
}

/** Client → server: show the test lenses or not; the server asks the editor to refresh its lenses. */
export const TestLensesRequest = request<TestLensesParams, void>('goTraceLens/testLenses');

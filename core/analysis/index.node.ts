// The Go analysis core's Node-only face: loading the Go grammar, `go env`, go.mod files and the module
// cache from disk. Hosts that run in Node add these to what `./index` gives.

export { goEnvLocations } from './goEnvironment.node';
export { createGoParser } from './goParser.node';
export { indexDependencies } from './workspace/dependencies.node';
export { modulesFor } from './workspace/goModules.node';

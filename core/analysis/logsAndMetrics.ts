// Calls and helpers whose context only reaches a log record or a metric, by the names Go code gives them:
// slog's `Handle`/`InfoContext`, a logger's `Errorf`, OpenTelemetry's `Emit`, OpenCensus' `stats.Record…`,
// a counter's `Add`, a workspace's `RecordRequestCount` or `log.Error` helper. A root context handed to them
// starts no span, and nothing waits on its cancellation. Shared by the rules on root contexts and by the
// workspace index behind call-chain-break.

/** Names of calls whose context argument only reaches a log record or a metric. */
const LOG_OR_METRIC_CALL = /^((Log|LogAttrs|Print|Printf|Println|Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln|Trace|Tracef|Debug|Debugf|Debugw|Info|Infof|Infow|Warn|Warnf|Warnw|Warning|Warningf|Error|Errorf|Errorw|Emit)(Context|Ctx)?|Handle|Enabled|Record|RecordWithTags|RecordWithOptions|Add|Inc|Dec|Observe)$|^(Record|Observe|Measure|GetLogger|WithLogger)/;

/** Names of the values such calls are made on: `log`, `slog`, `diag.DefaultMonitoring`, `requestCounter`. */
const LOG_OR_METRIC_VALUE = /^(log|logc|logx|klog|slog|zap|zerolog|logrus|glog|diag|stats|metric|metrics|telemetry|monitoring|observability)$|(Log|Logger|logger|Monitor|Monitoring|Metric|Metrics|Meter|meter|Recorder|recorder|Stats|stats|Counter|counter|Gauge|gauge|Histogram|histogram)$|^(Get|get|New|new)?Log(ger)?/;

/** Helpers that only log or measure: `Error`, `Infof`, `RecordRequestCount`, `incRetries`. */
const LOG_OR_METRIC_HELPER = /^(Log|Logf|Print|Printf|Println|Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln|Trace|Tracef|Debug|Debugf|Debugw|Info|Infof|Infow|Warn|Warnf|Warnw|Warning|Warningf|Error|Errorf|Errorw)$|^(Record|record|Observe|observe|Measure|measure|Inc|inc|Increment|increment)([A-Z0-9_]|$)/;
/** Types whose methods only log: `Logger`, `auditLog`, `logWriter`. */
const LOG_TYPE = /(^|[a-z])(Log|Logger)$|^log/;

/** Whether a call named `name` (`InfoContext`, `RecordWithTags`) only hands its context to a log or a metric. */
export function isLogOrMetricCall(name: string): boolean {
  return LOG_OR_METRIC_CALL.test(name);
}

/** Whether a value a call is made on (one segment of `diag.DefaultMonitoring`) is a logger or a metric. */
export function isLogOrMetricValue(name: string): boolean {
  return LOG_OR_METRIC_VALUE.test(name);
}

/** Whether a function (its name, and its receiver type's for a method) only logs or measures. */
export function isLogOrMetricHelper(name: string, receiverType = ''): boolean {
  return LOG_OR_METRIC_HELPER.test(name) || (receiverType !== '' && LOG_TYPE.test(receiverType));
}

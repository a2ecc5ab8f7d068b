// Posts events with RudderStack's Node SDK (@rudderstack/rudder-sdk-node 3.1.1, gzip on by default:
// Content-Encoding: gzip) to POST /events and prints what the function answered, batch by batch.
//   node send.js <base URL, e.g. http://127.0.0.1:18090> [events, default 40] [gzip: true|false]
// Needs `npm install` in this folder; the Maven build never runs it.
const Analytics = require('@rudderstack/rudder-sdk-node');

const [base, countArg, gzipArg] = process.argv.slice(2);
const count = Number(countArg || 40);
const gzip = gzipArg !== 'false';
const run = Date.now().toString(36);
const answers = [];
let requests = 0;
let compressed = 0;

const client = new Analytics('probe-write-key', {
  dataPlaneUrl: base,
  path: '/events',
  flushAt: 10,
  flushInterval: 100000,
  gzip,
  retryCount: 0,
  logLevel: 'error',
  errorHandler: (err) => answers.push({ status: err.response ? err.response.status : err.code, body: err.response && err.response.data }),
});
client.axiosInstance.interceptors.request.use((config) => {
  requests += 1;
  if (String(config.headers['Content-Encoding'] || '').includes('gzip')) compressed += 1;
  return config;
});
client.axiosInstance.interceptors.response.use((response) => {
  answers.push({ status: response.status, body: response.data });
  return response;
});

for (let i = 0; i < count; i += 1) {
  const userId = `rudder-${run}-${i % 7}`;
  const messageId = `rudder-${run}-${i}`;
  switch (i % 4) {
    case 0:
      client.identify({ userId, messageId, traits: { email: `user${i % 7}@example.com`, name: `User ${i % 7}`, plan: 'pro' } });
      break;
    case 1:
      client.track({ userId, messageId, event: 'Order Completed', properties: { total: i } });
      break;
    case 2:
      client.page({ userId, messageId, name: 'Pricing', properties: { url: 'https://example.com/pricing' } });
      break;
    default:
      client.group({ userId, messageId, groupId: `company-${i % 3}`, traits: { name: `Company ${i % 3}` } });
  }
}

client.flush().then(() => {
  const totals = { delivered: 0, skipped: 0, rejected: 0, failed: 0 };
  for (const answer of answers) {
    for (const key of Object.keys(totals)) totals[key] += (answer.body && answer.body[key]) || 0;
  }
  const statuses = answers.map((answer) => answer.status);
  console.log(JSON.stringify({ events: count, requests, gzipRequests: compressed, statuses, ...totals }));
  const refused = answers.filter((answer) => answer.status !== 200);
  if (refused.length) console.log(JSON.stringify(refused.map((answer) => answer.body)));
  process.exit(totals.delivered === count && refused.length === 0 ? 0 : 1);
});

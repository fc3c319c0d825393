// `npm start`: the service from its build (dist/, plain node), built first if a source is newer.
// package.json starts this with the node flags of build-api.js's SERVER_NODE_FLAGS.
// The server runs in this very process, so that SIGTERM reaches its graceful shutdown.
const { buildApi, ENTRY } = require("./build-api");

try {
  buildApi();
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
require(ENTRY);

/**
 * The demo server's entry point. The server itself is not there yet (see the
 * server issue); until it lands, `npm start` says so instead of failing.
 */
process.stderr.write('plainjwt: the demo server is not built yet; lib/ is ready (see README.md)\n');

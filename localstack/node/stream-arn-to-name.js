// Preloaded into kinesalite with `node --require`: kinesalite (3.3.3) addresses streams by
// StreamName only and rejects requests that name the stream by StreamARN, which is how the
// connector's FLIP-27 KinesisStreamsSource (4.3.0) calls ListShards, GetShardIterator and
// GetRecords. Kinesis accepts either. For JSON requests that carry a StreamARN and no StreamName,
// this sets StreamName to the ARN's stream name (after "stream/") and drops StreamARN before
// kinesalite sees the body; every other request passes unchanged.
'use strict';
const http = require('http');
const { PassThrough } = require('stream');

const createServer = http.createServer;
http.createServer = function (...args) {
  const i = args.findIndex((a) => typeof a === 'function');
  if (i >= 0) {
    const handler = args[i];
    args[i] = (req, res) => rewrite(req, res, handler);
  }
  return createServer.apply(this, args);
};

function rewrite(req, res, handler) {
  if (!(req.headers['content-type'] || '').includes('json')) {
    return handler(req, res);
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let body = Buffer.concat(chunks);
    try {
      const data = JSON.parse(body.toString());
      if (data && typeof data.StreamARN === 'string' && data.StreamName === undefined) {
        data.StreamName = data.StreamARN.substring(data.StreamARN.lastIndexOf('/') + 1);
        delete data.StreamARN;
        body = Buffer.from(JSON.stringify(data));
      }
    } catch (e) {
      // Not JSON after all: kinesalite answers it as it would.
    }
    const copy = new PassThrough();
    copy.headers = Object.assign({}, req.headers, { 'content-length': String(body.length) });
    copy.rawHeaders = req.rawHeaders;
    copy.method = req.method;
    copy.url = req.url;
    copy.httpVersion = req.httpVersion;
    copy.socket = req.socket;
    copy.connection = req.socket;
    handler(copy, res);
    copy.end(body);
  });
}

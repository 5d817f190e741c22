/** The bare Node HTTP server of the benchmark: answers a constant JSON body. */
import http from 'node:http';

const body = JSON.stringify({ data: { predict: { version: 1, predictions: [{ label: '0', probability: 0.5 }] } } });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));

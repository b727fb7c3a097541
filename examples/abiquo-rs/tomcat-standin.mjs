#!/usr/bin/env node
// A tiny HTTP service standing in for abiquo-tomcat in the abiquo-rs examples and tests.
// Listens on ABIQUO_TOMCAT_PORT (default 8009) at ABIQUO_TOMCAT_BIND (default 127.0.0.1) and
// answers every request with 200 "abiquo-tomcat stand-in". Writes its PID to
// ABIQUO_TOMCAT_PIDFILE only once it is listening, so the init script's start can wait for it.
// Exits 1 when it cannot listen (port in use, bad address); exits 0 on SIGTERM/SIGINT.
import { createServer } from 'node:http';
import { rmSync, writeFileSync } from 'node:fs';

const port = Number(process.env.ABIQUO_TOMCAT_PORT || 8009);
const host = process.env.ABIQUO_TOMCAT_BIND || '127.0.0.1';
const pidFile = process.env.ABIQUO_TOMCAT_PIDFILE || '';

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('abiquo-tomcat stand-in\n');
});
server.on('error', (err) => {
  process.stderr.write(`abiquo-tomcat stand-in: cannot listen on ${host}:${port}: ${err.message}\n`);
  process.exit(1);
});
server.listen(port, host, () => {
  if (pidFile) writeFileSync(pidFile, `${process.pid}\n`);
  process.stdout.write(`abiquo-tomcat stand-in listening on ${host}:${port}\n`);
});
const shutdown = () => {
  server.close();
  if (pidFile) rmSync(pidFile, { force: true });
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

import { createApp } from './app';

const port = Number(process.env.PORT ?? 8080);
const app = createApp(process.env.SERVICE_NAME ?? 'sample');
app.server.listen(port, () => console.log(JSON.stringify({ msg: 'listening', port })));

// Kubernetes sends SIGTERM after the preStop pause: finish in-flight requests, then exit.
process.on('SIGTERM', () => {
  app.drain();
  app.server.close(() => process.exit(0));
});

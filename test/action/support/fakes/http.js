// What the fakes that talk to the fake GitHub server (gh, docker) call it with: fetch's shape (ok, status,
// json()) over node:http, which Node has loaded at start; fetch would load undici, doubling the start of a
// fake that runs once per verified image. installFake puts this in front of every fake.
function httpRequest(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const request = require('node:http').request(url, { method, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () =>
        resolve({
          ok: response.statusCode >= 200 && response.statusCode < 300,
          status: response.statusCode,
          json: async () => JSON.parse(text),
        }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}

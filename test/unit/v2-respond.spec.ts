/** The V2 responder answers a body too large to serialise with a coded error, not a bare 500. */
import type { ServerResponse } from 'node:http';
import { AppError } from '../../src/lib/errors';
import { sendJson } from '../../src/rest/v2/respond';

it('sendJson throws BAD_USER_INPUT (field outputs) for a body JSON cannot hold, writing nothing', () => {
  const res = { writeHead: jest.fn(), end: jest.fn() } as unknown as ServerResponse;
  const body = {
    toJSON: () => {
      throw new RangeError('Invalid string length');
    },
  };
  let thrown: unknown;
  try {
    sendJson(res, 200, body);
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(AppError);
  expect(thrown).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'outputs' } });
  expect(res.writeHead).not.toHaveBeenCalled();
});

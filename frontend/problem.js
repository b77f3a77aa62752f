// Herald refuses with RFC 9457 problem details (application/problem+json); a bearer refusal may
// come with no body, only RFC 6750's WWW-Authenticate error_description. Read here, for every
// part of the page that calls Herald.

/** The response's JSON body, or null when it has none or it is not JSON. */
export async function readJson(response) {
  if (!(response.headers.get('Content-Type') || '').includes('json')) {
    return null;
  }
  try {
    return await response.json();
  } catch (error) {
    return null;
  }
}

/** "Title (status): detail" of a refusal, from its problem detail or its bearer error. */
export function problemHeadline(response, problem) {
  const status = (problem && problem.status) || response.status;
  const heading = problem && problem.title ? `${problem.title} (${status})` : `HTTP ${status}`;
  const detail = (problem && problem.detail) || bearerError(response);
  return detail ? `${heading}: ${detail}` : heading;
}

function bearerError(response) {
  const match = /error_description="([^"]*)"/.exec(response.headers.get('WWW-Authenticate') || '');
  return match ? match[1] : '';
}

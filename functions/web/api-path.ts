/** Whether a path belongs to the JSON API, whose errors are JSON, rather than to the pages. */
export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

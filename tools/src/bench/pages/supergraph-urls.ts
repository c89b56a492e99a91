/**
 * The supergraph SDL with each subgraph's routing URL (`@join__graph(name:,
 * url:)`) replaced by the running one, for a gateway that reads URLs from the
 * supergraph alone. Every subgraph must be given a URL.
 */
export function supergraphWithUrls(sdl: string, urls: Readonly<Record<string, string>>): string {
  const seen = new Set<string>();
  const replaced = sdl.replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (_match, name: string) => {
    const url = urls[name];
    if (url === undefined) throw new Error(`no URL given for subgraph ${name}`);
    seen.add(name);
    return `@join__graph(name: "${name}", url: ${JSON.stringify(url)})`;
  });
  if (seen.size === 0) throw new Error('the supergraph names no subgraph (@join__graph)');
  return replaced;
}

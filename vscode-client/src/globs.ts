// VS Code-style glob patterns (`**`, `*`, `?`, `{a,b}`, `[...]`) as regular expressions, matched
// against the end of a path, the same way the server's request_docs.py reads `requestGlobs`.

export function globToRegExp(glob: string): RegExp {
  const g = glob.trim().replace(/\\/g, "/");
  const anchored = g.startsWith("/");
  let out = "";
  let depth = 0;
  for (let i = 0; i < g.length; ) {
    if (g.startsWith("**/", i)) {
      out += "(?:.*/)?";
      i += 3;
      continue;
    }
    if (g.startsWith("**", i)) {
      out += ".*";
      i += 2;
      continue;
    }
    const c = g[i++];
    if (c === "*") {
      out += "[^/]*";
    } else if (c === "?") {
      out += "[^/]";
    } else if (c === "{") {
      depth += 1;
      out += "(?:";
    } else if (c === "}" && depth > 0) {
      depth -= 1;
      out += ")";
    } else if (c === "," && depth > 0) {
      out += "|";
    } else if (c === "[" || c === "]") {
      out += c;
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    }
  }
  const prefix = anchored ? "^" : "(?:^|/)";
  try {
    return new RegExp(`${prefix}${out}$`, "i");
  } catch {
    return new RegExp(`${prefix}${g.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`, "i");
  }
}

export function matchesAny(filePath: string, globs: string[]): boolean {
  const normal = filePath.replace(/\\/g, "/");
  return globs.some((g) => globToRegExp(g).test(normal));
}

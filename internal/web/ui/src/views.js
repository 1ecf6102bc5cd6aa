// The registry of views other modules add: a view is a path pattern of the
// location hash ("#/chart" has path "/chart") and a function that renders
// it. app.js's route() asks here for any path it does not know itself, so a
// new view is a module of its own, imported by main.js, not more lines in
// app.js.
//
// render(match, params, signal) returns { nodes, status } as app.js's
// views do: the elements to show and a sentence for screen readers.

const registered = [];

// view registers a view for the paths pattern (a RegExp over the path).
export function view(pattern, render) {
  registered.push({ pattern, render });
}

// findView returns the view for a path and the pattern's match, or null.
export function findView(path) {
  for (const v of registered) {
    const match = v.pattern.exec(path);
    if (match) return { render: v.render, match };
  }
  return null;
}

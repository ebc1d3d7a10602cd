// Showing JSON the API hands out as text: pretty-printed when it parses, as it came otherwise.

/** Two-space indented JSON, or the text unchanged when it is not JSON. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A collapsible block (closed at first) showing `text` as indented JSON. */
export function JsonViewer({ summary, text, testId }: { summary: string; text: string; testId?: string }) {
  return (
    <details className="json-viewer" data-testid={testId}>
      <summary>{summary}</summary>
      <pre className="code-block">{prettyJson(text)}</pre>
    </details>
  );
}

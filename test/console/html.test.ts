import { describe, expect, it } from 'vitest';
import { escapeHtml, html, jsonScript, safeUrl } from '../../src/console/html.js';

describe('console html', () => {
  it('when a value is interpolated, then it is escaped for text and quoted attributes; only Html passes as is', () => {
    const title = `"><img src=x onerror=alert(1)>`;
    const out = html`<p title="${title}">${'<script>alert(1)</script>'}${html`<b>${"it's"}</b>`}</p>`.value;
    expect(out).toBe(
      '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt;alert(1)&lt;/script&gt;<b>it&#39;s</b></p>',
    );
    expect(html`${['<a>', 1, null, undefined, false, true]}`.value).toBe('&lt;a&gt;1true');
    expect(escapeHtml('`&')).toBe('&#96;&amp;');
  });

  it('when a URL is not plain http(s), then it is not used', () => {
    expect(safeUrl('https://image.tmdb.org/t/p/w500/a.jpg')).toBe('https://image.tmdb.org/t/p/w500/a.jpg');
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,x',
      'x',
      'https://a" onerror="x',
      ' https://a',
      undefined,
      null,
    ])
      expect(safeUrl(bad)).toBeUndefined();
  });

  it('when JSON goes into a script block, then no tag can close it', () => {
    const out = jsonScript({ label: '</script><script>alert(1)</script>&' }).value;
    expect(out).not.toMatch(/[<>&]/);
    expect(JSON.parse(out)).toEqual({ label: '</script><script>alert(1)</script>&' });
  });
});

import { escapeHtml, html, SafeHtml } from '../../src/http/html';

describe('escapeHtml', () => {
  it('escapes & < > " and \'', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('renders null and undefined as empty text and numbers as text', () => {
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('html', () => {
  it('escapes interpolated values but not the template', () => {
    const name = '<script>alert("x")</script>';
    const out = html`<td class="n">${name}</td>`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(out.value).toBe('<td class="n">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</td>');
  });

  it('does not escape nested SafeHtml twice', () => {
    const inner = html`<b>${'Tom & Jerry'}</b>`;
    expect(html`<p>${inner}</p>`.value).toBe('<p><b>Tom &amp; Jerry</b></p>');
    expect(String(html`<p>${inner}</p>`)).toBe('<p><b>Tom &amp; Jerry</b></p>');
  });

  it('joins arrays, escaping plain items and keeping SafeHtml items', () => {
    const rows = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${rows}</ul>`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul>');
    expect(html`${['<i>', html`<i>`]}`.value).toBe('&lt;i&gt;<i>');
  });
});

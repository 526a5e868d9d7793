import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { render } from './body.ts';

describe('render as XML', () => {
  it('stays well formed when free text holds characters XML 1.0 cannot carry', () => {
    const text = `a\u0001b\u0008c\uFFFEd\uD800e`;
    const { text: xml } = render({ code: 10000, result: { message: text } }, 'xml');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(new XMLParser().parse(xml).response.result.message).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
  });

  it('keeps tabs, line breaks, markup characters and characters beyond the BMP as they are', () => {
    const text = 'tab\there\nline <b>&"\' 📷';
    const { text: xml } = render({ code: 10000, result: { message: text } }, 'xml');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(new XMLParser({ processEntities: true }).parse(xml).response.result.message).toBe(text);
  });

  it('leaves JSON as JSON.stringify writes it', () => {
    const body = { code: 10000, result: { message: 'a\u0001b' } };
    expect(render(body, 'json').text).toBe(JSON.stringify(body));
  });
});

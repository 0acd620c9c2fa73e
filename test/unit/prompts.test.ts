import { listPrompts, loadPrompt, parsePrompt, renderPrompt } from '../../src/prompts/render';

describe('prompts', () => {
  test.each(listPrompts())('prompt %s renders with all its variables and has front matter', (name) => {
    const template = loadPrompt(name);
    expect(template.description.length).toBeGreaterThan(10);
    expect(template.maxTokens).toBeGreaterThan(0);
    const variables = Object.fromEntries(template.variables.map((variable) => [variable, `<${variable}>`]));
    const rendered = renderPrompt(name, variables);
    expect(rendered.text).not.toMatch(/\{\{/);
    for (const variable of template.variables) expect(rendered.text).toContain(`<${variable}>`);
  });

  test.each(['chat', 'route'])(
    'the %s prompt says the model cannot delete data and names the commands that do',
    (name) => {
      const template = loadPrompt(name);
      const variables = Object.fromEntries(template.variables.map((variable) => [variable, 'x']));
      const { text } = renderPrompt(name, variables);
      // A model answering "好的，已为你删除所有数据" would tell the person a deletion happened that never did.
      expect(text).toContain("You cannot delete anyone's data and must never say you did");
      expect(text).toContain('`forget me`');
      expect(text).toContain('`删除我的数据`');
    },
  );

  test('rendering throws and names the variable when one is missing', () => {
    const template = loadPrompt('chat');
    const variables = Object.fromEntries(template.variables.slice(1).map((variable) => [variable, 'x']));
    expect(() => renderPrompt('chat', variables)).toThrow(
      new RegExp(`missing variables: ${template.variables[0]}`),
    );
  });

  test('front matter is required', () => {
    expect(() => parsePrompt('bad', 'no front matter {{x}}')).toThrow(/front matter/);
    expect(
      parsePrompt('ok', '---\ndescription: a prompt for tests\nmaxTokens: 5\n---\nHi {{name}}'),
    ).toMatchObject({
      maxTokens: 5,
      variables: ['name'],
    });
  });

  test('an unknown prompt name is an error', () => {
    expect(() => renderPrompt('no-such-prompt', {})).toThrow(/no prompt named no-such-prompt/);
  });
});

import { z } from 'zod';
import type { ParsedArguments, Skill } from '../core/skill';

/**
 * A skill's tool arguments from one zod object: the JSON schema the model is shown, and the parser the
 * router reads the model's input with. The object is strict, so a key the schema does not name (a
 * `commandWord` a model made up) is refused, never passed on.
 */
export function toolArguments<Shape extends z.ZodRawShape>(
  shape: Shape,
): Pick<Skill<z.infer<z.ZodObject<Shape>>>, 'argumentsSchema' | 'parseArguments'> {
  const schema = z.strictObject(shape);
  const { $schema: _dialect, ...argumentsSchema } = z.toJSONSchema(schema) as Record<string, unknown>;
  return {
    argumentsSchema,
    parseArguments(input: unknown): ParsedArguments<z.infer<typeof schema>> {
      const result = schema.safeParse(input ?? {});
      return result.success
        ? { ok: true, value: result.data }
        : { ok: false, problem: z.prettifyError(result.error) };
    },
  };
}

/** The arguments of a skill the model passes nothing to. */
export const noArguments = toolArguments({});

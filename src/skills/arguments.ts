import { z } from 'zod';
import type { ParsedArguments, Skill } from '../core/skill';

/** The JSON types one property of a tool's schema accepts (`type`, a list of them, or each `anyOf` branch's). */
function typesOf(property: unknown): string[] {
  if (typeof property !== 'object' || property === null) return [];
  const { type, anyOf } = property as { type?: unknown; anyOf?: unknown };
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((entry): entry is string => typeof entry === 'string');
  return Array.isArray(anyOf) ? anyOf.flatMap(typesOf) : [];
}

/**
 * A model's input with the numbers and booleans some models send as strings (`"duration_minutes": "90"`,
 * seen from Qwen and DeepSeek) read as what the schema asks for; anything else is left for the schema to judge.
 */
function withPlainValues(input: unknown, argumentsSchema: Record<string, unknown>): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const properties = (argumentsSchema.properties ?? {}) as Record<string, unknown>;
  const read: Record<string, unknown> = { ...input };
  for (const [key, value] of Object.entries(read)) {
    if (typeof value !== 'string') continue;
    const types = typesOf(properties[key]);
    const trimmed = value.trim();
    if ((types.includes('number') || types.includes('integer')) && /^-?\d+(\.\d+)?$/.test(trimmed)) {
      read[key] = Number(trimmed);
    } else if (types.includes('boolean') && /^(true|false)$/i.test(trimmed)) {
      read[key] = trimmed.toLowerCase() === 'true';
    }
  }
  return read;
}

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
      const result = schema.safeParse(withPlainValues(input ?? {}, argumentsSchema));
      return result.success
        ? { ok: true, value: result.data }
        : { ok: false, problem: z.prettifyError(result.error) };
    },
  };
}

/** The arguments of a skill the model passes nothing to. */
export const noArguments = toolArguments({});

import { AppError } from '@cloudphone/errors';
import { ValidationPipe, type ValidationError } from '@nestjs/common';

function describe(errors: ValidationError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...describe(error.children ?? [], field)];
  });
}

/** Validates decorated input classes; any violation is one BAD_USER_INPUT naming the first field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => {
      const problems = describe(errors);
      const first = problems[0];
      return new AppError('BAD_USER_INPUT', problems.map((problem) => problem.message).join('; ') || 'Invalid input', {
        details: { field: first?.field ?? null },
      });
    },
  });
}

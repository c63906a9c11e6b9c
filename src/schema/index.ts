/** The schema: every type file imported for its side effects, then built once. */
import './scalars.ts';
import './user.ts';
import './reload.ts';
import './user-changed.ts';
import { adminDirective, enforceAdminDirective } from './admin-directive.ts';
import { builder } from './builder.ts';

export const schema = enforceAdminDirective(builder.toSchema({ directives: [adminDirective] }));

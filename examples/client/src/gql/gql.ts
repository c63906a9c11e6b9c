/* eslint-disable */
import * as types from './graphql.ts';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query UsersPage($first: Int!, $after: String, $role: String) {\n    users(first: $first, after: $after, role: $role) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id email timeJoined lastActive roles metadata }\n    }\n  }\n": typeof types.UsersPageDocument,
    "\n  query UserById($id: ID!) {\n    user(id: $id) {\n      id\n      email\n      timeJoined\n      metadata\n      loginMethods { recipeId email verified }\n    }\n  }\n": typeof types.UserByIdDocument,
    "\n  query WhoAmI {\n    viewer { kind isAdmin permissions }\n  }\n": typeof types.WhoAmIDocument,
};
const documents: Documents = {
    "\n  query UsersPage($first: Int!, $after: String, $role: String) {\n    users(first: $first, after: $after, role: $role) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id email timeJoined lastActive roles metadata }\n    }\n  }\n": types.UsersPageDocument,
    "\n  query UserById($id: ID!) {\n    user(id: $id) {\n      id\n      email\n      timeJoined\n      metadata\n      loginMethods { recipeId email verified }\n    }\n  }\n": types.UserByIdDocument,
    "\n  query WhoAmI {\n    viewer { kind isAdmin permissions }\n  }\n": types.WhoAmIDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersPage($first: Int!, $after: String, $role: String) {\n    users(first: $first, after: $after, role: $role) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id email timeJoined lastActive roles metadata }\n    }\n  }\n"): typeof import('./graphql.ts').UsersPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserById($id: ID!) {\n    user(id: $id) {\n      id\n      email\n      timeJoined\n      metadata\n      loginMethods { recipeId email verified }\n    }\n  }\n"): typeof import('./graphql.ts').UserByIdDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WhoAmI {\n    viewer { kind isAdmin permissions }\n  }\n"): typeof import('./graphql.ts').WhoAmIDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

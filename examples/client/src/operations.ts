/** The operations this client runs; codegen types each one (src/gql/). */
import { graphql } from './gql/index.ts';

export const UsersPage = graphql(`
  query UsersPage($first: Int!, $after: String, $role: String) {
    users(first: $first, after: $after, role: $role) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id email timeJoined lastActive roles metadata }
    }
  }
`);

export const UserById = graphql(`
  query UserById($id: ID!) {
    user(id: $id) {
      id
      email
      timeJoined
      metadata
      loginMethods { recipeId email verified }
    }
  }
`);

export const WhoAmI = graphql(`
  query WhoAmI {
    viewer { kind isAdmin permissions }
  }
`);

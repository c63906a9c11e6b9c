/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type CallerKind =
  /** ADMIN_API_KEY. */
  | 'ADMIN'
  /** No credentials were sent. */
  | 'ANONYMOUS'
  /** An API key from API_KEYS. */
  | 'SERVICE'
  /** A SuperTokens access token. */
  | 'USER';

export type UsersPageQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  role?: string | null | undefined;
}>;


export type UsersPageQuery = { users: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, email: string | null, timeJoined: string, lastActive: string | null, roles: Array<string>, metadata: Record<string, unknown> | null }> } };

export type UserByIdQueryVariables = Exact<{
  id: string | number;
}>;


export type UserByIdQuery = { user: { id: string, email: string | null, timeJoined: string, metadata: Record<string, unknown> | null, loginMethods: Array<{ recipeId: string, email: string | null, verified: boolean }> | null } | null };

export type WhoAmIQueryVariables = Exact<{ [key: string]: never; }>;


export type WhoAmIQuery = { viewer: { kind: CallerKind, isAdmin: boolean, permissions: Array<string> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const UsersPageDocument = new TypedDocumentString(`
    query UsersPage($first: Int!, $after: String, $role: String) {
  users(first: $first, after: $after, role: $role) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      email
      timeJoined
      lastActive
      roles
      metadata
    }
  }
}
    `) as unknown as TypedDocumentString<UsersPageQuery, UsersPageQueryVariables>;
export const UserByIdDocument = new TypedDocumentString(`
    query UserById($id: ID!) {
  user(id: $id) {
    id
    email
    timeJoined
    metadata
    loginMethods {
      recipeId
      email
      verified
    }
  }
}
    `) as unknown as TypedDocumentString<UserByIdQuery, UserByIdQueryVariables>;
export const WhoAmIDocument = new TypedDocumentString(`
    query WhoAmI {
  viewer {
    kind
    isAdmin
    permissions
  }
}
    `) as unknown as TypedDocumentString<WhoAmIQuery, WhoAmIQueryVariables>;
import {
  type ColumnDefinitionNode,
  DataTypeNode,
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

/**
 * The migrations are written once, with SQLite's column types; on PostgreSQL they mean something smaller:
 * `integer` is 32 bits there (disk sizes and byte counts need 64, as SQLite's integers have), `real` is a
 * 4-byte float (SQLite's is 8), and `autoincrement` is spelled `bigserial`. This plugin rewrites the
 * types as the statements are compiled, so that both engines hold the same values.
 */
const POSTGRES_TYPE: Record<string, string> = { integer: 'bigint', real: 'double precision', blob: 'bytea' };

class ColumnTypeTransformer extends OperationNodeTransformer {
  protected override transformDataType(node: DataTypeNode): DataTypeNode {
    const mapped = POSTGRES_TYPE[node.dataType];
    return mapped ? DataTypeNode.create(mapped as never) : node;
  }

  protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
    const column = super.transformColumnDefinition(node);
    if (!column.autoIncrement) return column;
    return { ...column, autoIncrement: false, dataType: DataTypeNode.create('bigserial') };
  }
}

export class PostgresColumnTypes implements KyselyPlugin {
  private readonly transformer = new ColumnTypeTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

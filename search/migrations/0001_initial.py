"""The search index, and each database's full-text index over it."""

from django.db import migrations, models

# The full-text index of each database, beside the table Django manages (search/models.py):
# PostgreSQL: a generated tsvector column (title A, heading B, body C) with a GIN index.
# SQLite: an FTS5 table over the same rows (external content), kept in step by triggers.
POSTGRESQL = [
    """ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(heading, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
    ) STORED""",
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]
SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, heading, body,
        content='search_searchdocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title, heading, body)
        VALUES (new.id, new.title, new.heading, new.body);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, heading, body)
        VALUES ('delete', old.id, old.title, old.heading, old.body);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, heading, body)
        VALUES ('delete', old.id, old.title, old.heading, old.body);
        INSERT INTO search_fts(rowid, title, heading, body)
        VALUES (new.id, new.title, new.heading, new.body);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='IndexState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_version', models.CharField(max_length=64)),
                ('built_at', models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('lesson', 'Lessons'), ('quiz', 'Quizzes'), ('matrix', 'Decision matrix')], max_length=10)),
                ('title', models.CharField(max_length=300)),
                ('heading', models.CharField(blank=True, max_length=300)),
                ('body', models.TextField(blank=True)),
                ('url', models.CharField(max_length=500)),
                ('course_title', models.CharField(blank=True, max_length=200)),
                ('is_public', models.BooleanField(default=True)),
                ('order', models.PositiveIntegerField(default=0)),
            ],
            options={
                'ordering': ['order'],
            },
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]

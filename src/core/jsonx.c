#include "core/jsonx.h"
#include <stdio.h>
#include <string.h>

void json_write_string(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_putc(out, '"');
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&')
			continue;
		buf_add(out, s + start, i - start);
		start = i + 1;
		switch (c) {
		case '"': buf_add(out, "\\\"", 2); break;
		case '\\': buf_add(out, "\\\\", 2); break;
		case '\n': buf_add(out, "\\n", 2); break;
		case '\r': buf_add(out, "\\r", 2); break;
		case '\t': buf_add(out, "\\t", 2); break;
		default: {
			/* control characters, and <>& so JSON is safe to embed in HTML */
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			buf_add(out, e, 6);
		}
		}
	}
	buf_add(out, s + start, n - start);
	buf_putc(out, '"');
}

void json_write(struct buf *out, json_t *v)
{
	char num[64];
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *val;
		bool first = true;
		buf_putc(out, '{');
		json_object_foreach(v, key, val) {
			if (!first)
				buf_putc(out, ',');
			first = false;
			json_write_string(out, key, strlen(key));
			buf_putc(out, ':');
			json_write(out, val);
		}
		buf_putc(out, '}');
		break;
	}
	case JSON_ARRAY: {
		buf_putc(out, '[');
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				buf_putc(out, ',');
			json_write(out, json_array_get(v, i));
		}
		buf_putc(out, ']');
		break;
	}
	case JSON_STRING:
		json_write_string(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		buf_add(out, num, (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v)));
		break;
	case JSON_REAL:
		buf_add(out, num, (size_t)snprintf(num, sizeof num, "%.17g", json_real_value(v)));
		break;
	case JSON_TRUE:
		buf_add(out, "true", 4);
		break;
	case JSON_FALSE:
		buf_add(out, "false", 5);
		break;
	case JSON_NULL:
		buf_add(out, "null", 4);
		break;
	}
}

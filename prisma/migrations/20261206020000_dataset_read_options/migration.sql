-- How a dataset's bytes are read again, as at upload: whether quotes quote fields, and the text
-- encoding (declared or detected; null for older rows, detected again as before).
ALTER TABLE "Dataset" ADD COLUMN "quoting" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "Dataset" ADD COLUMN "encoding" TEXT;
